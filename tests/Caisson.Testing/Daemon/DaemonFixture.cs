using System.Diagnostics;
using System.Text;
using Caisson.Api.Cri;
using Grpc.Net.Client;

namespace Caisson.Testing.Daemon;

/// <summary>
/// A private caissond (the real binary as it ships, compiled with NativeAOT, as a child process) with its own
/// root, state and socket, so tests run side by side and never touch /var/lib/caisson. Disposing stops it and
/// deletes its directories.
/// </summary>
public sealed partial class DaemonFixture : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private DaemonFixture(string directory, string configToml)
    {
        Directory = directory;
        Root = Path.Combine(directory, "root");
        State = Path.Combine(directory, "state");
        SocketPath = Path.Combine(State, "caisson.sock");
        ConfigPath = Path.Combine(directory, "config.toml");
        File.WriteAllText(ConfigPath, configToml);
    }

    public string Directory { get; }

    public string Root { get; }

    public string State { get; }

    public string SocketPath { get; }

    public string ConfigPath { get; }

    public GrpcChannel Channel { get; private set; } = null!;

    public RuntimeService.RuntimeServiceClient Runtime => new(Channel);

    public ImageService.ImageServiceClient Images => new(Channel);

    public Api.V1.Images.ImagesClient CaissonImages => new(Channel);

    public Api.V1.System.SystemClient CaissonSystem => new(Channel);

    /// <summary>Everything the daemon printed so far (for assertion messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Starts a daemon with <paramref name="configToml"/> (root/state are set by the fixture).</summary>
    public static async Task<DaemonFixture> StartAsync(string configToml = "", string? directory = null)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("caisson-daemon-").FullName;
        var fixture = new DaemonFixture(directory, configToml);
        await fixture.StartProcessAsync().ConfigureAwait(false);
        return fixture;
    }

    private async Task StartProcessAsync()
    {
        // Readiness is judged on this start's output only: a restart finds the old socket file and log lines.
        int startOfThisRun;
        lock (_output)
            startOfThisRun = _output.Length;

        var start = new ProcessStartInfo(await Processes.PublishedExecutable.DaemonAsync().ConfigureAwait(false))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--config", ConfigPath, "--root", Root, "--state", State, "--log-level", "debug" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start caissond");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"caissond exited with {process.ExitCode} during start-up:\n{Output}");
            if (File.Exists(SocketPath) && Output.IndexOf("serving CRI", startOfThisRun, StringComparison.Ordinal) >= 0)
            {
                Channel = DaemonClients.OpenChannel(SocketPath);
                return;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"caissond did not start within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>Kills the daemon without warning (kill -9), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        Channel?.Dispose();
    }

    /// <summary>Starts the daemon again on the same directories (after a kill or stop).</summary>
    public async Task RestartAsync()
    {
        await KillAsync().ConfigureAwait(false);
        await StartProcessAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // SIGTERM first: the daemon should shut down cleanly.
            _ = Linux.Kill(process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }

        Channel?.Dispose();
        _process?.Dispose();
        UnmountEverythingBelow(Directory);
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>
    /// The daemon leaves mounts in its directories on purpose (the netns pin directory, pins, overlay views);
    /// a test daemon's go with it, deepest first.
    /// </summary>
    private static void UnmountEverythingBelow(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        var mountPoints = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(point => point.Length)
            .ToList();
        foreach (var point in mountPoints)
            Caisson.Linux.Interop.Mounts.Unmount(point, detach: true);
    }

    private static partial class Linux
    {
        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
        public static partial int Kill(int pid, int signal);
    }
}
