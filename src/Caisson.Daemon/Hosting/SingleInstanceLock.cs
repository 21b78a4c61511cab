using Caisson.Core.Errors;

namespace Caisson.Daemon.Hosting;

/// <summary>An exclusive lock on &lt;root&gt;/caissond.lock: two daemons must never share one store.</summary>
internal sealed class SingleInstanceLock : IDisposable
{
    private readonly FileStream _file;

    private SingleInstanceLock(FileStream file) => _file = file;

    public static SingleInstanceLock Acquire(string root)
    {
        var path = Path.Combine(root, "caissond.lock");
        try
        {
            // FileShare.None takes an flock(LOCK_EX) on Unix, released by the kernel when the process dies.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            using (var writer = new StreamWriter(file, leaveOpen: true))
                writer.Write(Environment.ProcessId);
            file.Flush();
            return new SingleInstanceLock(file);
        }
        catch (IOException e)
        {
            throw new FailedPreconditionException($"another caissond is using {root} (lock {path} is held)", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
