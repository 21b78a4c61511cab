using System.Diagnostics;
using Caisson.Core.Configuration;
using Caisson.Core.Errors;
using Caisson.Linux.Processes;

namespace Caisson.Runtime.Shim;

/// <summary>
/// How to start a container's shim. <paramref name="OomEventsPath"/> is the cgroup file whose <c>oom_kill</c>
/// counter tells an OOM kill (memory.events on v2, memory.oom_control on v1), or null to not detect them.
/// </summary>
public sealed record ShimLaunchOptions(
    string ShimPath, string ContainerId, string Bundle, string Runtime, string RuntimeRoot, string StateDirectory, string? LogPath, bool Stdin,
    string? OomEventsPath = null);

/// <summary>
/// Starts caisson-shim, whose first stage exits once the container is created (the shim itself runs on,
/// detached from the daemon), and returns a client for it.
/// </summary>
public static class ShimLauncher
{
    public static readonly TimeSpan DefaultCreateTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ShimClient> LaunchAsync(ShimLaunchOptions options, TimeSpan createTimeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunFirstStageAsync(options.ShimPath, Arguments(options), createTimeout, $"create container {options.ContainerId}", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CaissonException e) when (e.Kind == ErrorKind.Internal
            && Driver.RuntimeErrors.HybridCgroupsRefused(Path.GetFileName(options.Runtime), e.Message) is { } refused)
        {
            throw refused;
        }

        return new ShimClient(new ShimStateDirectory(options.StateDirectory));
    }

    /// <summary>The shim's path: the configured one, else caisson-shim beside the daemon.</summary>
    public static string PathFor(RuntimeSection runtime) =>
        string.IsNullOrEmpty(runtime.ShimPath) ? Path.Combine(AppContext.BaseDirectory, "caisson-shim") : runtime.ShimPath;

    /// <summary>
    /// Runs a first stage of caisson-shim (one that exits once its detached second stage is ready) and fails with
    /// its stderr as the reason when it exits non-zero, or when <paramref name="timeout"/> passes first.
    /// </summary>
    internal static async Task RunFirstStageAsync(
        string shimPath, IEnumerable<string> arguments, TimeSpan timeout, string purpose, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(shimPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)
            ?? throw new CaissonException(ErrorKind.Internal, $"could not start {shimPath}");
        using var streams = new StandardStreams(process);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException error)
        {
            process.Kill();
            if (cancellationToken.IsCancellationRequested)
                throw;
            throw new CaissonException(ErrorKind.DeadlineExceeded, $"{purpose}: the shim did not finish within {timeout}", error);
        }

        if (process.ExitCode != 0)
        {
            var reason = (await stderr.ConfigureAwait(false)).Trim();
            throw new CaissonException(ErrorKind.Internal, $"{purpose}: {reason} (shim exited with {process.ExitCode})");
        }
    }

    internal static List<string> Arguments(ShimLaunchOptions options)
    {
        var arguments = new List<string>
        {
            "--id", options.ContainerId, "--bundle", options.Bundle, "--runtime", options.Runtime,
            "--runtime-root", options.RuntimeRoot, "--state-dir", options.StateDirectory,
        };
        if (options.LogPath is not null)
            arguments.AddRange(["--log", options.LogPath]);
        if (options.OomEventsPath is not null)
            arguments.AddRange(["--oom-events", options.OomEventsPath]);
        if (options.Stdin)
            arguments.Add("--stdin");
        return arguments;
    }
}
