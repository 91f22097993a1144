//! One running stage program: spawned, greeted, configured, fed documents, killed.
//!
//! The calling thread never blocks on a pipe. A writer thread owns the child's stdin and a
//! reader thread its stdout, handing each answer line over a channel, so the caller waits on
//! the channel with a deadline: a program that loops forever or stops reading costs one
//! timeout, never a hung run. A third thread copies the child's stderr to ours, each line
//! prefixed with the stage name, so a stage's own logging lands in the run's log.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use serde_json::Value;
use textpipe_core::ConfigError;

use crate::protocol::{ConfigReply, Configure, Hello, PROTOCOL_VERSION};

/// How to start a worker of one stage.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The kind the pipeline entry names.
    pub kind: String,
    /// How messages name the stage: `process stage `quotes` (python3 quotes.py)`.
    pub label: String,
    /// The program (resolved) and its arguments.
    pub program: PathBuf,
    /// Arguments after the program.
    pub args: Vec<String>,
    /// The working directory: the pipeline file's folder.
    pub dir: PathBuf,
    /// Address-space limit of the process, in bytes.
    pub max_memory: Option<u64>,
    /// How long the program may take to start and answer the hello and the config.
    pub startup_timeout: Duration,
}

impl Launch {
    /// The command line as the user wrote it, for messages.
    pub fn display(&self) -> String {
        std::iter::once(self.program.display().to_string())
            .chain(self.args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Why a worker could not be started or stopped answering.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// The program could not be started at all.
    #[error("cannot start `{command}`: {message}")]
    Spawn {
        /// The command line.
        command: String,
        /// The system's reason.
        message: String,
    },
    /// The program broke the protocol (a bad hello, an answer that is not JSON, ...).
    #[error("`{command}` does not speak the textpipe process protocol: {message}")]
    Protocol {
        /// The command line.
        command: String,
        /// What was wrong.
        message: String,
    },
    /// The program ended or crashed; the status in words.
    #[error("`{command}` {status}")]
    Ended {
        /// The command line.
        command: String,
        /// How it ended (`was killed by signal 11 (SIGSEGV)`).
        status: String,
    },
    /// The program did not answer in time.
    #[error("`{command}` did not answer within {} s", .waited.as_secs_f64())]
    TimedOut {
        /// The command line.
        command: String,
        /// How long it was given.
        waited: Duration,
    },
}

/// What waiting for one line gave.
pub enum Received {
    /// A line of stdout, without its newline.
    Line(String),
    /// Nothing within the deadline.
    TimedOut,
    /// Stdout closed: the program ended.
    Ended,
}

/// A running stage program.
pub struct Worker {
    child: Child,
    command: String,
    to_child: Option<Sender<Vec<u8>>>,
    from_child: Receiver<String>,
}

impl Worker {
    /// Starts the program and reads its hello.
    pub fn spawn(launch: &Launch) -> Result<(Worker, Hello), WorkerError> {
        let command = launch.display();
        let mut cmd = Command::new(&launch.program);
        cmd.args(&launch.args)
            .current_dir(&launch.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(bytes) = launch.max_memory {
            limit_memory(&mut cmd, bytes);
        }
        end_with_parent(&mut cmd);
        let mut child = spawn_from_lasting_thread(cmd).map_err(|error| WorkerError::Spawn {
            command: command.clone(),
            message: error.to_string(),
        })?;
        let (stdin, stdout, stderr) =
            match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
                (Some(stdin), Some(stdout), Some(stderr)) => (stdin, stdout, stderr),
                _ => unreachable!("all three pipes were requested"),
            };
        let to_child = spawn_writer(stdin);
        let from_child = spawn_reader(BufReader::with_capacity(1 << 16, stdout));
        spawn_stderr_copy(&launch.kind, child.id(), BufReader::new(stderr));
        let mut worker = Worker {
            child,
            command,
            to_child: Some(to_child),
            from_child,
        };
        let line = worker.expect_line(launch.startup_timeout, "its hello")?;
        let hello: Hello = serde_json::from_str(&line).map_err(|e| {
            worker.protocol(format!(
                "its first line is not a hello ({e}): {}",
                clip(&line)
            ))
        })?;
        if hello.textpipe_process != PROTOCOL_VERSION {
            return Err(worker.protocol(format!(
                "it speaks protocol version {}, this textpipe speaks version {PROTOCOL_VERSION}",
                hello.textpipe_process
            )));
        }
        Ok((worker, hello))
    }

    /// Sends the config; `Ok(Err(..))` when the program refused it.
    pub fn configure(
        &mut self,
        config: &Value,
        timeout: Duration,
    ) -> Result<Result<(), Vec<ConfigError>>, WorkerError> {
        let empty = Value::Object(Default::default());
        let config = if config.is_null() { &empty } else { config };
        let mut line = serde_json::to_vec(&Configure { configure: config }).unwrap_or_default();
        line.push(b'\n');
        self.send(line);
        let answer = self.expect_line(timeout, "the answer to its config")?;
        let reply: ConfigReply = serde_json::from_str(&answer).map_err(|e| {
            self.protocol(format!(
                "its answer to the config is not valid ({e}): {}",
                clip(&answer)
            ))
        })?;
        if reply.ready && reply.config_errors.is_empty() {
            return Ok(Ok(()));
        }
        let mut errors: Vec<ConfigError> = reply
            .config_errors
            .into_iter()
            .map(|problem| ConfigError {
                path: problem.path,
                message: problem.message,
                suggestion: problem.suggestion,
            })
            .collect();
        if errors.is_empty() {
            errors.push(ConfigError::at(
                &[],
                "the stage refused its config without saying why",
            ));
        }
        Ok(Err(errors))
    }

    /// Queues bytes for the program's stdin (whole lines).
    pub fn send(&self, bytes: Vec<u8>) {
        if let Some(to_child) = &self.to_child {
            // A closed channel means the writer met a broken pipe: the program ended, which
            // the next `receive` reports.
            let _ = to_child.send(bytes);
        }
    }

    /// The next line of the program's stdout, waiting at most `timeout`.
    pub fn receive(&self, timeout: Duration) -> Received {
        match self.from_child.recv_timeout(timeout) {
            Ok(line) => Received::Line(line),
            Err(RecvTimeoutError::Timeout) => Received::TimedOut,
            Err(RecvTimeoutError::Disconnected) => Received::Ended,
        }
    }

    /// Kills the program (if it still runs) and says how it ended.
    pub fn kill(mut self) -> String {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) => describe_status(status),
            Err(error) => format!("could not be waited for: {error}"),
        }
    }

    /// Waits briefly for a program whose stdout closed, and says how it ended.
    pub fn ended(mut self) -> String {
        // Stdout closes when the program exits; the status follows within moments.
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return describe_status(status);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        format!("closed its stdout and was then {}", self.kill())
    }

    /// The command line, for messages.
    pub fn command(&self) -> &str {
        &self.command
    }

    fn expect_line(&mut self, timeout: Duration, what: &str) -> Result<String, WorkerError> {
        match self.receive(timeout) {
            Received::Line(line) => Ok(line),
            Received::TimedOut => Err(WorkerError::TimedOut {
                command: self.command.clone(),
                waited: timeout,
            }),
            Received::Ended => {
                let status = describe_status_now(&mut self.child);
                Err(WorkerError::Ended {
                    command: self.command.clone(),
                    status: format!("{status} before sending {what}"),
                })
            }
        }
    }

    fn protocol(&self, message: String) -> WorkerError {
        WorkerError::Protocol {
            command: self.command.clone(),
            message,
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin asks a well-behaved program to end; one that does not is killed, so a
        // finished run never leaves stage processes behind.
        self.to_child = None;
        if matches!(self.child.try_wait(), Ok(None)) {
            for _ in 0..20 {
                std::thread::sleep(Duration::from_millis(5));
                if !matches!(self.child.try_wait(), Ok(None)) {
                    return;
                }
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn spawn_writer(mut stdin: ChildStdin) -> Sender<Vec<u8>> {
    let (sender, receiver) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        for bytes in receiver {
            if stdin.write_all(&bytes).and_then(|_| stdin.flush()).is_err() {
                return;
            }
        }
    });
    sender
}

fn spawn_reader(mut stdout: impl BufRead + Send + 'static) -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || loop {
        let mut line = String::new();
        match stdout.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if line.ends_with('\n') {
                    line.pop();
                }
                if sender.send(line).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}

fn spawn_stderr_copy(kind: &str, pid: u32, stderr: impl BufRead + Send + 'static) {
    let prefix = format!("[{kind} {pid}] ");
    std::thread::spawn(move || {
        for line in stderr.split(b'\n') {
            let Ok(line) = line else { return };
            let mut out = std::io::stderr().lock();
            let _ = out.write_all(prefix.as_bytes());
            let _ = out.write_all(&line);
            let _ = out.write_all(b"\n");
        }
    });
}

/// Starts `cmd` from one thread that lives as long as the process.
///
/// On Linux a worker asks to be killed when the thread that started it ends (see
/// [`end_with_parent`]); starting every worker from a thread that never ends makes that "when
/// textpipe ends", even when the run's threads come and go (the Python package runs a
/// pipeline many times).
fn spawn_from_lasting_thread(cmd: Command) -> std::io::Result<Child> {
    type Request = (Command, Sender<std::io::Result<Child>>);
    static SPAWNER: std::sync::OnceLock<std::sync::Mutex<Sender<Request>>> =
        std::sync::OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (sender, requests) = mpsc::channel::<Request>();
        std::thread::spawn(move || {
            for (mut cmd, reply) in requests {
                let _ = reply.send(cmd.spawn());
            }
        });
        std::sync::Mutex::new(sender)
    });
    let (reply, answer) = mpsc::channel();
    let sent = spawner
        .lock()
        .map_err(|_| std::io::Error::other("the process starter failed"))?
        .send((cmd, reply));
    sent.map_err(|_| std::io::Error::other("the process starter ended"))?;
    answer
        .recv()
        .map_err(|_| std::io::Error::other("the process starter ended"))?
}

/// A worker stuck in a loop must not outlive a textpipe that was killed (closing its stdin
/// only ends a worker that reads it): on Linux the kernel kills it when its parent goes.
#[cfg(target_os = "linux")]
fn end_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: the closure runs in the child between fork and exec and only calls prctl and
    // getppid, which are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before prctl took effect.
            if libc::getppid() as u32 != parent {
                return Err(std::io::Error::other(
                    "textpipe ended while starting the stage",
                ));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn end_with_parent(_: &mut Command) {}

#[cfg(unix)]
fn limit_memory(cmd: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and only calls setrlimit,
    // which is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_: &mut Command, _: u64) {}

fn describe_status_now(child: &mut Child) -> String {
    for _ in 0..200 {
        if let Ok(Some(status)) = child.try_wait() {
            return describe_status(status);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    "stopped answering".into()
}

/// How a process ended, in words: `exited with status 1`, `was killed by signal 11 (SIGSEGV)`.
pub fn describe_status(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("was killed by signal {signal} ({})", signal_name(signal));
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => "ended".into(),
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        24 => "SIGXCPU",
        _ => "unknown signal",
    }
}

/// A line cut to a readable length for messages.
pub fn clip(line: &str) -> String {
    const MAX: usize = 200;
    if line.len() <= MAX {
        return line.to_string();
    }
    let mut end = MAX;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &line[..end])
}

/// `program` as the system should start it: a path with a `/` is relative to `dir`, a bare
/// name is looked up in `PATH` by the system.
pub fn resolve_program(program: &str, dir: &Path) -> PathBuf {
    let path = Path::new(program);
    if program.contains('/') && path.is_relative() {
        dir.join(path)
    } else {
        path.to_path_buf()
    }
}
