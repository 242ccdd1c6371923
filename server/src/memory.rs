//! How the process gives memory back. A password hash takes 19 MiB; glibc
//! raises its mmap threshold after the first such block is freed, so later
//! ones come from the heap arenas, where a flood of sign-ins leaves gigabytes
//! that are never returned. A fixed threshold keeps every large block in
//! its own mapping, unmapped the moment it is freed.

/// Blocks at least this large are mapped on their own.
const MMAP_THRESHOLD: i32 = 1024 * 1024;

/// Call once, first thing in `main`; false when the allocator refused.
pub fn return_large_blocks() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes allocator settings; it takes the
        // arena lock itself and may be called at any time.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        // Other allocators (musl's, the BSDs') return large blocks already.
        true
    }
}
