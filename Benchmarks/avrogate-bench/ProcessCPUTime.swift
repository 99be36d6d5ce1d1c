import Glibc

/// CPU time (user + system) used so far by this process, or by its children that have exited and been
/// reaped: a run's difference is the CPU it cost, which a busy machine distorts far less than its rate.
enum ProcessCPUTime {
    /// This process's threads, all of them.
    static var ownSeconds: Double { seconds(RUSAGE_SELF.rawValue) }
    /// Child processes that have exited and been waited for.
    static var exitedChildrenSeconds: Double { seconds(RUSAGE_CHILDREN.rawValue) }

    private static func seconds(_ who: Int32) -> Double {
        var usage = rusage()
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
