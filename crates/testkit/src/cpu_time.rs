//! CPU time of the calling thread, so that a timing taken on a shared machine counts this
//! thread's work and not other processes' (the linear-time tests and the speed examples).

use std::time::Duration;

/// CPU time this thread has run, from Linux's per-thread clock (the C library that std links
/// already has `clock_gettime`, so no binding crate is needed for one call).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
pub fn thread_cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanos: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut now = Timespec {
        seconds: 0,
        nanos: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given, which lives on this stack;
    // on 64-bit Linux its fields are two 64-bit integers, as declared.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut now) };
    (status == 0).then(|| Duration::new(now.seconds as u64, now.nanos as u32))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
pub fn thread_cpu_time() -> Option<Duration> {
    None
}
