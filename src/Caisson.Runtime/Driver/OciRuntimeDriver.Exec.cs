using System.Diagnostics;
using Caisson.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Driver;

internal sealed partial class OciRuntimeDriver
{
    /// <summary>How long the output pipes may stay open after a timed-out exec was killed (an escaped grandchild may hold them).</summary>
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs <paramref name="command"/> in the running container as its own process would run (same user,
    /// environment, capabilities), collecting stdout and stderr up to 16 MiB each. Past <paramref name="timeout"/>
    /// the exec'd process and its descendants are killed and an <see cref="ExecTimeoutException"/> carries
    /// what they printed.
    /// </summary>
    public async Task<ExecSyncResult> ExecSyncAsync(
        string id, IReadOnlyList<string> command, TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        var state = await StateAsync(id, cancellationToken);
        if (state.Status != RuntimeContainerStatus.Running)
            throw new FailedPreconditionException($"exec in container {id}: it is {state.Status.ToString().ToLowerInvariant()}, not running");
        var processJson = ExecProcessSpec.Build(id, state.Bundle, command);

        var work = Directory.CreateTempSubdirectory("caisson-exec-");
        try
        {
            var processPath = Path.Combine(work.FullName, "process.json");
            var pidPath = Path.Combine(work.FullName, "exec.pid");
            await File.WriteAllTextAsync(processPath, processJson, cancellationToken);
            using var runtime = Start(["exec", "--process", processPath, "--pid-file", pidPath, id]);
            runtime.StandardInput.Close();
            var stdout = CappedOutputReader.Start(runtime.StandardOutput.BaseStream);
            var stderr = CappedOutputReader.Start(runtime.StandardError.BaseStream);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } limit && limit > TimeSpan.Zero)
                deadline.CancelAfter(limit);
            try
            {
                await runtime.WaitForExitAsync(deadline.Token);
                await Task.WhenAll(stdout.Completion, stderr.Completion).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await KillExecAsync(id, runtime, pidPath);
                var partial = await CollectAsync(-1, stdout, stderr);
                throw new ExecTimeoutException(
                    $"exec in container {id}: {string.Join(' ', command)} did not finish within {timeout!.Value.TotalSeconds:0.###}s; killed with its children",
                    partial);
            }
            catch (OperationCanceledException)
            {
                await KillExecAsync(id, runtime, pidPath);
                throw;
            }

            // runc exits 1 with only its own error on stderr when it cannot start the process at all (no pid file then).
            if (!File.Exists(pidPath))
                throw RuntimeErrors.For(handler, "exec in", id, new RuntimeCommandResult(runtime.ExitCode, "", Text(stderr)));
            return await CollectAsync(runtime.ExitCode, stdout, stderr);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task KillExecAsync(string id, Process runtime, string pidPath)
    {
        // runc writes the pid file once the process exists; until then killing runc aborts the exec. The
        // exec'd process is runc exec's child, and runc is our child, alive as long as it waits for it: a
        // process whose parent is runc's pid is the one runc started, never a reuse of the pid in the file.
        if (ProcessFiles.ReadPid(pidPath) is { } pid && ProcessTree.ParentAndStartTime(pid) is { } stat && stat.Parent == runtime.Id)
        {
            var startTime = stat.StartTime;
            var killed = ProcessTree.Kill(pid, startTime);
            Log.ExecKilled(logger, id, pid, killed);
        }

        using var grace = new CancellationTokenSource(DrainAfterKill);
        try
        {
            await runtime.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // Process.Kill never signals a child .NET has already reaped, so this cannot hit a reused pid.
            runtime.Kill();
        }
    }

    private static async Task<ExecSyncResult> CollectAsync(int exitCode, CappedOutputReader stdout, CappedOutputReader stderr)
    {
        // After a kill an escaped grandchild may still hold the pipes; take what has been read by then.
        await Task.WhenAny(Task.WhenAll(stdout.Completion, stderr.Completion), Task.Delay(DrainAfterKill));
        var (outBytes, outTruncated) = stdout.Snapshot();
        var (errBytes, errTruncated) = stderr.Snapshot();
        return new ExecSyncResult(exitCode, outBytes, errBytes, outTruncated, errTruncated);
    }

    private static string Text(CappedOutputReader reader) => System.Text.Encoding.UTF8.GetString(reader.Snapshot().Bytes);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "exec in container {Id} timed out: killed pid {Pid} and its children ({Count} processes)")]
        public static partial void ExecKilled(ILogger logger, string id, int pid, int count);
    }
}
