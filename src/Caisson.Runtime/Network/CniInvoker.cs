using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Caisson.Core.Errors;
using Caisson.Linux.Processes;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Network;

/// <summary>
/// Runs CNI plugin executables (spec section "Execution Protocol"): the configuration on stdin, the parameters in
/// CNI_* variables, the result or an error object on stdout. Plugins are spawned with Process (posix_spawn), never by
/// forking this process.
/// </summary>
internal sealed partial class CniInvoker(IReadOnlyList<string> pluginDirectories, TimeSpan timeout, ILogger logger)
{
    public IReadOnlyList<string> PluginDirectories { get; } = pluginDirectories;

    /// <summary>The first executable named <paramref name="type"/> in the plugin directories.</summary>
    public string FindPlugin(string type) =>
        TryFindPlugin(type) ?? throw new FailedPreconditionException(
            $"CNI plugin '{type}' not found in {string.Join(", ", PluginDirectories)}");

    public string? TryFindPlugin(string type)
    {
        foreach (var directory in PluginDirectories)
        {
            var candidate = Path.Combine(directory, type);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & UnixFileMode.UserExecute) != 0)
                return candidate;
        }

        return null;
    }

    /// <summary>Runs one plugin with <paramref name="networkConfig"/> (already holding name, cniVersion, prevResult).</summary>
    public async Task<string> ExecuteAsync(
        CniCommand command, JsonObject networkConfig, CniInvocation invocation, CancellationToken cancellationToken)
    {
        var type = (string)networkConfig["type"]!;
        var plugin = FindPlugin(type);
        var commandName = CniInvocation.CommandName(command);
        var what = $"CNI plugin '{type}' ({plugin}) {commandName}";

        var start = new ProcessStartInfo(plugin)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        start.Environment["CNI_COMMAND"] = commandName;
        start.Environment["CNI_CONTAINERID"] = invocation.ContainerId;
        start.Environment["CNI_NETNS"] = invocation.NetworkNamespacePath;
        start.Environment["CNI_IFNAME"] = invocation.InterfaceName;
        start.Environment["CNI_ARGS"] = invocation.FormatArguments();
        start.Environment["CNI_PATH"] = string.Join(':', PluginDirectories);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new CaissonException(ErrorKind.Internal, $"{what}: cannot start: {e.Message}", e);
        }

        using var streams = new StandardStreams(process);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(networkConfig.ToJsonString().AsMemory(), deadline.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The plugin exited without reading all of its input; its exit status and output tell why.
            }

            await process.WaitForExitAsync(deadline.Token);
            var output = await stdout;
            var errors = await stderr;
            if (process.ExitCode != 0)
                throw PluginError(what, process.ExitCode, output, errors);
            return output;
        }
        catch (OperationCanceledException) when (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
                throw new CaissonException(ErrorKind.Canceled, $"{what}: canceled");
            throw new CaissonException(ErrorKind.DeadlineExceeded, $"{what}: no answer within {timeout.TotalSeconds:0.#}s; killed");
        }
    }

    /// <summary>Turns the spec's error object ({code, msg, details}) into an exception naming the plugin.</summary>
    private static CaissonException PluginError(string what, int exitCode, string stdout, string stderr)
    {
        try
        {
            if (JsonNode.Parse(stdout) is JsonObject error && error["code"] is JsonValue codeValue)
            {
                var code = codeValue.GetValue<int>();
                var message = error["msg"]?.GetValue<string>() ?? "";
                var details = error["details"]?.GetValue<string>();
                var text = string.IsNullOrEmpty(details) ? message : $"{message}: {details}";
                return new CaissonException(KindOf(code), $"{what} failed: {text} (CNI error code {code})");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Not the error object the spec asks for: report the raw output below.
        }

        var raw = string.Join(" | ", new[] { stdout.Trim(), stderr.Trim() }.Where(s => s.Length > 0));
        return new CaissonException(ErrorKind.Internal, $"{what} failed with exit code {exitCode}: {(raw.Length > 0 ? raw : "no output")}");
    }

    /// <summary>The spec's well-known error codes, in gRPC terms.</summary>
    private static ErrorKind KindOf(int code) => code switch
    {
        1 => ErrorKind.FailedPrecondition, // incompatible CNI version
        2 or 4 or 6 or 7 => ErrorKind.InvalidArgument, // unsupported field, bad env, bad JSON, bad config
        3 => ErrorKind.NotFound, // container unknown or does not exist
        11 => ErrorKind.Unavailable, // try again later
        _ => ErrorKind.Internal,
    };
}
