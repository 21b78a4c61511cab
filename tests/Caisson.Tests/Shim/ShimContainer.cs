using System.Globalization;
using Caisson.Runtime.Shim;
using Caisson.Testing.Processes;

namespace Caisson.Tests.Shim;

/// <summary>
/// One busybox container under a real caisson-shim and runc, in its own temporary directory; disposing
/// deletes the container, stops the shim and removes everything.
/// </summary>
internal sealed class ShimContainer : IAsyncDisposable
{
    public const string Runc = "/usr/sbin/runc";

    private ShimContainer(string root, string shimPath, bool stdin)
    {
        Root = root;
        Id = "shim-test-" + Guid.NewGuid().ToString("N")[..12];
        Options = new ShimLaunchOptions(
            shimPath, Id, Path.Combine(root, "bundle"), Runc, Path.Combine(root, "runc"), Path.Combine(root, "state"),
            Path.Combine(root, "logs", "container.log"), stdin);
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        State = new ShimStateDirectory(Options.StateDirectory);
        Client = new ShimClient(State);
    }

    public string Root { get; }

    public string Id { get; }

    public ShimLaunchOptions Options { get; }

    public ShimStateDirectory State { get; }

    public ShimClient Client { get; private set; }

    public string LogPath => Options.LogPath!;

    /// <summary>Writes the bundle; the shim is not started yet.</summary>
    public static async Task<ShimContainer> PrepareAsync(IReadOnlyList<string> args, bool stdin = false, bool pidNamespace = true)
    {
        var root = Directory.CreateTempSubdirectory("caisson-shim-test-").FullName;
        var container = new ShimContainer(root, await PublishedExecutable.ShimAsync(), stdin);
        BusyboxBundle.Write(container.Options.Bundle, args, pidNamespace);
        return container;
    }

    /// <summary>Prepares and creates the container through <see cref="ShimLauncher"/>.</summary>
    public static async Task<ShimContainer> CreateAsync(IReadOnlyList<string> args, bool stdin = false, bool pidNamespace = true)
    {
        var container = await PrepareAsync(args, stdin, pidNamespace);
        try
        {
            container.Client = await ShimLauncher.LaunchAsync(container.Options, TimeSpan.FromSeconds(30));
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    public int ShimPid => int.Parse(File.ReadAllText(State.ShimPidPath), CultureInfo.InvariantCulture);

    /// <summary>The log's records, parsed; waits until <paramref name="until"/> holds or the time is up.</summary>
    public async Task<IReadOnlyList<CriLogRecord>> ReadLogAsync(Func<IReadOnlyList<CriLogRecord>, bool> until, string? path = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var records = File.Exists(path ?? LogPath) ? CriLogRecord.ParseFile(path ?? LogPath) : [];
            if (until(records) || DateTime.UtcNow > deadline)
                return records;
            await Task.Delay(20);
        }
    }

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/cmdline") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync(Runc, ["--root", Options.RuntimeRoot, "delete", "--force", Id]);
        if (File.Exists(State.ShimPidPath))
        {
            var pid = ShimPid;
            try
            {
                await Client.ShutdownAsync();
            }
            catch (Caisson.Core.Errors.CaissonException)
            {
                // already gone
            }

            for (var i = 0; i < 100 && IsAlive(pid); i++)
                await Task.Delay(50);
            // Still there: kill it, but only if that pid is still a shim (never a reused pid).
            if (IsAlive(pid) && File.ReadAllText($"/proc/{pid}/cmdline").Contains("caisson-shim", StringComparison.Ordinal))
                System.Diagnostics.Process.GetProcessById(pid).Kill();
        }

        Directory.Delete(Root, recursive: true);
    }
}
