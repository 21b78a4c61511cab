using System.Reflection;
using Caisson.Api.Cri;
using Caisson.Cli.Output;
using Caisson.Core.Oci;
using Grpc.Core;

namespace Caisson.Cli.Commands;

/// <summary>caisson version: this client's version, then the daemon's (which may be down).</summary>
internal static class VersionCommand
{
    /// <summary>The CRI API version this client speaks, sent in VersionRequest.</summary>
    private const string CriApiVersion = "v1";

    public static CommandSpec Spec { get; } = new()
    {
        Name = "version",
        Usage = "caisson version [OPTIONS]",
        Summary = "Show the client's and the daemon's versions",
        Description = "Prints this client's version and platform, then asks caissond for its runtime name, version "
            + "and CRI API version. The client part is printed even when the daemon cannot be reached; the command "
            + "then fails with the reason.",
        Flags = [OutputOption.Flag("text")],
        Examples =
        [
            new("caisson version", "Both versions"),
            new("caisson version -o json", "The same as JSON"),
        ],
        RunAsync = RunAsync,
    };

    public static string ClientVersion { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var format = OutputOption.Read(invocation, "text");
        VersionResponse? server = null;
        RpcException? failure = null;
        try
        {
            server = await invocation.Daemon.Runtime.VersionAsync(
                new VersionRequest { Version = CriApiVersion }, cancellationToken: invocation.CancellationToken);
        }
        catch (RpcException e) when (!invocation.CancellationToken.IsCancellationRequested)
        {
            failure = e;
        }

        if (format == OutputFormat.Json)
            WriteJson(invocation.Out, server);
        else
            WriteText(invocation.Out, server);
        if (failure is null)
            return ExitCodes.Success;
        invocation.ReportError(failure);
        return ExitCodes.Failure;
    }

    private static void WriteText(TextWriter output, VersionResponse? server)
    {
        output.WriteLine("Client:");
        new KeyValueBlock(" ")
            .Add("Version", ClientVersion)
            .Add("OS/Arch", Platform.Current.ToString())
            .Add(".NET", Environment.Version.ToString())
            .WriteTo(output);
        if (server is null)
            return;
        output.WriteLine();
        output.WriteLine("Server:");
        new KeyValueBlock(" ")
            .Add("Runtime", server.RuntimeName)
            .Add("Version", server.RuntimeVersion)
            .Add("API version", server.RuntimeApiVersion)
            .WriteTo(output);
    }

    private static void WriteJson(TextWriter output, VersionResponse? server) => JsonOutput.Write(output, json =>
    {
        json.WriteStartObject();
        json.WriteStartObject("Client");
        json.WriteString("Version", ClientVersion);
        json.WriteString("Platform", Platform.Current.ToString());
        json.WriteString("DotNet", Environment.Version.ToString());
        json.WriteEndObject();
        if (server is null)
        {
            json.WriteNull("Server");
        }
        else
        {
            json.WriteStartObject("Server");
            json.WriteString("RuntimeName", server.RuntimeName);
            json.WriteString("RuntimeVersion", server.RuntimeVersion);
            json.WriteString("RuntimeApiVersion", server.RuntimeApiVersion);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    });
}
