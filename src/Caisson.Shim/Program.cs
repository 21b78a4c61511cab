// caisson-shim: one per container, the parent of its process, independent of caissond.
//
// Invocation (named options only):
//   caisson-shim --id ID --bundle DIR --runtime /usr/sbin/runc --runtime-root DIR --state-dir DIR [--log PATH] [--stdin]
//                [--oom-events FILE]   (the cgroup's memory.events (v2) or memory.oom_control (v1): its oom_kill counter)
// The daemon starts this first stage, which creates STATE (0700), spawns the shim again with the same options
// plus --ready-fd 3 in a new session (stdin /dev/null, stdout/stderr STATE/shim.log), and exits 0 when the
// container is created, or 1 with the reason on stderr (also in STATE/create-error). The second stage:
//   - sets PR_SET_CHILD_SUBREAPER, makes pipes for stdout/stderr (and stdin with --stdin, else /dev/null) and
//     posix_spawns `runc --root R --log STATE/runc.log create --bundle B --pid-file STATE/init.pid ID` on them;
//     runc's container process inherits them and, once runc exits, is re-parented to the shim;
//   - writes the CRI log itself (`<RFC3339Nano> stdout|stderr F|P <content>`, lines over 16 KiB split into P
//     fragments ending with F), so a daemon that is down never blocks the container's output;
//   - reaps its children (pidfds for the ones it tracks, waitpid(-1) for orphans), writes STATE/exit on the
//     init's exit (128+signal for a signal; oom_killed=true when the cgroup's oom_kill counter grew since create,
//     read before anyone can delete the cgroup), writes STATE/ready and STATE/shim.pid; every state file atomically;
//   - serves STATE/shim.sock (0600, a path, never abstract): one request line in, one reply line out,
//     `ok [key=value ...]` or `error <message>`:
//       status        -> ok state=created|running|exited pid=N [exit_code=N] [started_at=T] [finished_at=T] [oom_killed=true]
//       start         -> runs `runc start ID`; replies like status once runc has exited
//       wait          -> replies like status once the container has exited
//       signal N      -> pidfd_send_signal to the init (never a reused pid); error once it has exited
//       reopen-log    -> reopens the log path (kubelet renamed it to rotate)
//       stdin         -> ok, then every further byte on the connection goes to the container's stdin
//       close-stdin   -> closes stdin once queued bytes are written
//       shutdown      -> ok; the shim exits once the container has exited and its output is drained
// One thread and raw syscalls (no Socket, no Process, no thread pool) keep a shim's memory small.
//
//   caisson-shim pause --id SANDBOX --pid-file PATH
// starts a pod's pause process instead: PID 1 of a new PID namespace (see Pause.cs).
using Caisson.Shim;

try
{
    if (args.Length > 0 && args[0] == Pause.Command)
        return Pause.Run(args[1..]);
    var options = ShimOptions.Parse(args);
    if (options.ReadyFd < 0)
        return FirstStage.Run(options);
    using var shim = new Shim(options);
    return shim.Run();
}
catch (Exception error) when (error is ShimException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"caisson-shim: {error.Message}");
    return 2;
}
