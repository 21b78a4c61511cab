namespace Caisson.Runtime.Shim;

/// <summary>The files a shim keeps in its state directory; the daemon finds a shim again through them after a restart.</summary>
public sealed class ShimStateDirectory(string path)
{
    public string Path { get; } = path;

    public string SocketPath => System.IO.Path.Combine(Path, "shim.sock");

    public string ExitPath => System.IO.Path.Combine(Path, "exit");

    public string ShimPidPath => System.IO.Path.Combine(Path, "shim.pid");

    public string InitPidPath => System.IO.Path.Combine(Path, "init.pid");

    public string CreateErrorPath => System.IO.Path.Combine(Path, "create-error");

    public string ShimLogPath => System.IO.Path.Combine(Path, "shim.log");

    /// <summary>The recorded exit, or null while the container has not exited (or its shim never saw it).</summary>
    public ShimStatus? ReadExit() =>
        File.Exists(ExitPath) ? ShimStatus.Parse(File.ReadAllText(ExitPath)) : null;
}
