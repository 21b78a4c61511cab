using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Caisson.Core.Errors;
using Caisson.Linux.Processes;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Driver;

/// <summary>
/// The daemon's hands on an OCI runtime binary (runc, crun) for everything but create and start, which the
/// shim does: state, kill, delete, update, pause/resume and exec. The runtime is spawned with Process
/// (posix_spawn), never by forking the daemon.
/// </summary>
internal sealed partial class OciRuntimeDriver(RuntimeHandler handler, ILogger logger)
{
    /// <summary>How long a runtime command other than exec may take before it is killed.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public RuntimeHandler Handler => handler;

    public async Task<RuntimeContainerState> StateAsync(string id, CancellationToken cancellationToken = default)
    {
        var result = await RunCheckedAsync("state", id, ["state", id], null, cancellationToken);
        return RuntimeContainerState.Parse(id, result.StandardOutput);
    }

    /// <summary>Sends <paramref name="signal"/> to the container's init, or with <paramref name="all"/> to every process in it.</summary>
    public Task KillAsync(string id, int signal, bool all, CancellationToken cancellationToken = default)
    {
        var arguments = all
            ? new[] { "kill", "--all", id, signal.ToString(CultureInfo.InvariantCulture) }
            : ["kill", id, signal.ToString(CultureInfo.InvariantCulture)];
        return RunCheckedAsync("kill", id, arguments, null, cancellationToken);
    }

    /// <summary>Deletes the container's runtime state; one the runtime does not know is already deleted.</summary>
    public async Task DeleteAsync(string id, bool force, CancellationToken cancellationToken = default)
    {
        var arguments = force ? new[] { "delete", "--force", id } : ["delete", id];
        try
        {
            await RunCheckedAsync("delete", id, arguments, null, cancellationToken);
        }
        catch (NotFoundException)
        {
            Log.DeleteOfUnknownContainer(logger, id, handler.Name);
        }
    }

    /// <summary>Applies OCI linux.resources JSON to a running container (runc update --resources -).</summary>
    public Task UpdateAsync(string id, string resourcesJson, CancellationToken cancellationToken = default) =>
        RunCheckedAsync("update", id, ["update", "--resources", "-", id], resourcesJson, cancellationToken);

    public Task PauseAsync(string id, CancellationToken cancellationToken = default) =>
        RunCheckedAsync("pause", id, ["pause", id], null, cancellationToken);

    public Task ResumeAsync(string id, CancellationToken cancellationToken = default) =>
        RunCheckedAsync("resume", id, ["resume", id], null, cancellationToken);

    private async Task<RuntimeCommandResult> RunCheckedAsync(
        string operation, string id, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var result = await RunAsync(operation, id, arguments, input, cancellationToken);
        if (result.ExitCode != 0)
            throw RuntimeErrors.For(handler, operation, id, result);
        return result;
    }

    private async Task<RuntimeCommandResult> RunAsync(
        string operation, string id, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        using var process = Start(arguments);
        using var streams = new StandardStreams(process);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (input is not null)
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The runtime exited without reading its input; its exit status and stderr say why.
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException error)
        {
            // runc itself is our child and not yet reaped, so its pid cannot have been reused.
            process.Kill();
            if (cancellationToken.IsCancellationRequested)
                throw;
            throw new CaissonException(
                ErrorKind.DeadlineExceeded,
                $"{operation} container {id} with {handler.Name}: no answer within {CommandTimeout.TotalSeconds:0}s; killed", error);
        }

        return new RuntimeCommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the runtime with --root and all three standard streams redirected (stdin never inherited).</summary>
    private Process Start(IReadOnlyList<string> arguments)
    {
        if (!File.Exists(handler.BinaryPath))
            throw RuntimeErrors.MissingBinary(handler);
        var info = new ProcessStartInfo(handler.BinaryPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--root");
        info.ArgumentList.Add(handler.RootDirectory);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        try
        {
            return Process.Start(info) ?? throw new CaissonException(ErrorKind.Internal, $"could not start {handler.BinaryPath}");
        }
        catch (Win32Exception error)
        {
            throw new FailedPreconditionException($"runtime handler {handler.Name}: cannot run {handler.BinaryPath}: {error.Message}", error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "delete: container {Id} is unknown to {Handler}; already deleted")]
        public static partial void DeleteOfUnknownContainer(ILogger logger, string id, string handler);
    }
}
