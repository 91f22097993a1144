//! Whether the threads a run wants fit under the process's address-space limit (`ulimit -v`).
//!
//! A thread Rust starts maps a signal stack from inside the new thread and aborts the whole
//! process when that mapping fails. So under a memory limit, starting threads until the system
//! refuses one is a race: the refusal can hit a thread that already started, and the run dies
//! with an abort instead of an error. Checking the limit before the first thread turns that
//! into an error the caller can report. Where the limit cannot be read (not Linux), the check
//! passes and the system's refusal, if any, is reported as before; [`reserve_for_thread`]
//! covers what the check cannot foresee, such as allocator arenas taking the room.

use std::fs;

/// Bytes a worker thread's stack reserves: what `RUST_MIN_STACK` asks for, else Rust's
/// default. The run passes it to the thread builder, so the estimate below is what is mapped.
pub(crate) fn thread_stack_bytes() -> usize {
    std::env::var("RUST_MIN_STACK")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(2 << 20)
}

/// Address space one more thread takes beyond its stack: guard pages and the signal stack.
const PER_THREAD_EXTRA: u64 = 64 << 10;

/// Address space the run needs beyond its threads' stacks: batches, buffers and allocator
/// arenas starting up.
const RUN_HEADROOM: u64 = 64 << 20;

/// The address space `threads` new threads need, and what the limit leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shortfall {
    pub needed: u64,
    pub left: u64,
}

/// Readies the process for `threads` more threads of `stack` bytes each under an
/// address-space limit: they will share one allocator arena, and the call fails when they do
/// not fit in what the limit leaves of this process. Without a limit it does nothing.
pub(crate) fn prepare_threads(threads: usize, stack: usize) -> Result<(), Shortfall> {
    // Without a limit (the usual case) there is nothing to read further.
    let Some(limit) = address_space_limit() else {
        return Ok(());
    };
    // glibc gives threads arenas of their own, each reserving up to 64 MB of address space as
    // it is made: under a limit, a run whose threads all started could still abort when a
    // thread's arena could not be made (30 workers under 300 MB did). Under a limit the run
    // shares one arena instead.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before the run's threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
    let Some(used) = address_space_used() else {
        return Ok(());
    };
    let needed = (threads as u64)
        .saturating_mul(stack as u64 + PER_THREAD_EXTRA)
        .saturating_add(RUN_HEADROOM);
    let left = limit.saturating_sub(used);
    if needed > left {
        return Err(Shortfall { needed, left });
    }
    Ok(())
}

/// Room a started thread maps beyond its stack before it reaches the run's code: its signal
/// stack and the allocator's first chunk for it.
const START_ROOM: usize = 1 << 20;

/// Checks that a thread of `stack` bytes and what it maps as it starts fit in the address
/// space now, by reserving that much and giving it back: the allocator refuses with an error
/// where the thread's own start would abort. Called with no other thread of the run
/// allocating, so the room is still there when the thread takes it.
pub(crate) fn reserve_for_thread(stack: usize) -> std::io::Result<()> {
    let mut room: Vec<u8> = Vec::new();
    room.try_reserve_exact(stack.saturating_add(START_ROOM))
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))
}

/// The soft limit on this process's address space in bytes, `None` when unlimited or unknown.
fn address_space_limit() -> Option<u64> {
    let limits = fs::read_to_string("/proc/self/limits").ok()?;
    parse_limit(&limits)
}

/// Bytes of address space this process maps now, `None` when unknown.
fn address_space_used() -> Option<u64> {
    let statm = fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().next()?.parse().ok()?;
    // Every Linux platform Rust targets with 4 KiB base pages or larger; a larger page makes
    // this estimate low, which only lets the system's own refusal speak, as without the check.
    Some(pages * 4096)
}

/// The soft "Max address space" of a `/proc/<pid>/limits` table.
fn parse_limit(limits: &str) -> Option<u64> {
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max address space"))?;
    let soft = line["Max address space".len()..]
        .split_whitespace()
        .next()?;
    soft.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: &str = "\
Limit                     Soft Limit           Hard Limit           Units
Max stack size            8388608              unlimited            bytes
Max address space         307200000            unlimited            bytes
Max file locks            unlimited            unlimited            locks
";

    #[test]
    fn the_soft_address_space_limit_is_read_from_the_limits_table() {
        assert_eq!(parse_limit(LIMITS), Some(307_200_000));
    }

    #[test]
    fn an_unlimited_address_space_has_no_limit() {
        let unlimited = LIMITS.replace("307200000", "unlimited");
        assert_eq!(parse_limit(&unlimited), None);
        assert_eq!(parse_limit("Limit Soft Hard Units\n"), None);
    }

    #[test]
    fn threads_that_fit_pass_and_more_stacks_than_the_limit_holds_do_not() {
        // The test process has no limit, or one it runs in; either way two threads fit.
        assert_eq!(prepare_threads(2, 2 << 20), Ok(()));
        if let (Some(limit), Some(used)) = (address_space_limit(), address_space_used()) {
            let threads = (limit / (2 << 20)) as usize + 1;
            let shortfall = prepare_threads(threads, 2 << 20).unwrap_err();
            assert_eq!(shortfall.left, limit.saturating_sub(used));
            assert!(shortfall.needed > shortfall.left);
        }
    }
}
