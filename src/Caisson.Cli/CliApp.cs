using Caisson.Cli.Arguments;
using Caisson.Cli.Commands;
using Caisson.Core.Configuration;
using Grpc.Core;

namespace Caisson.Cli;

/// <summary>Entry point of `caisson`: global flags, verb lookup, help, and turning every failure into one line and an exit code.</summary>
internal static class CliApp
{
    public const string AddressEnvironmentVariable = "CAISSON_ADDRESS";

    public static readonly string DefaultSocketPath = new CaissonConfig().SocketPath;

    public static readonly IReadOnlyList<FlagSpec> GlobalFlags =
    [
        FlagSpec.Value("address", null, "PATH", $"caissond's socket (also ${AddressEnvironmentVariable})", DefaultSocketPath),
        FlagSpec.Boolean("help", 'h', "Show help"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await DispatchAsync(args, context, cancellationToken);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"caisson: {e.Message}");
            context.Error.WriteLine(e.Verb is null
                ? "Run 'caisson --help' for the list of commands."
                : $"Run 'caisson {e.Verb} --help' for its usage, or 'caisson --help' for the list of commands.");
            return ExitCodes.Usage;
        }
    }

    private static async Task<int> DispatchAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var global = ArgumentParser.Parse(args, GlobalFlags, stopAtFirstPositional: true);
        if (global.Positionals.Count == 0)
        {
            HelpWriter.WriteOverview(context.Out);
            return ExitCodes.Success;
        }
        var verb = global.Positionals[0];
        var rest = global.Positionals.Skip(1).ToList();
        if (verb == "help")
            return WriteHelpFor(rest, context);
        var command = CommandCatalog.Find(verb)
            ?? throw new UsageException($"unknown command \"{verb}\"");
        if (global.Flag("help"))
            return WriteHelpFor([verb], context);

        var parsed = ArgumentParser.Parse(rest, [.. command.Flags, .. GlobalFlags], command.Name, command.FlagsEndAtFirstArgument);
        if (parsed.Flag("help"))
        {
            HelpWriter.WriteCommand(context.Out, command);
            return ExitCodes.Success;
        }
        CheckArgumentCount(command, parsed.Positionals.Count);

        var socketPath = ResolveSocketPath(parsed.Value("address") ?? global.Value("address"), context);
        using var invocation = new CommandInvocation(command, parsed, context, socketPath, cancellationToken);
        try
        {
            return await command.RunAsync(invocation);
        }
        catch (Exception e) when (IsCancellation(e, cancellationToken))
        {
            context.Error.WriteLine("caisson: canceled");
            return ExitCodes.Canceled;
        }
        catch (Exception e) when (e is not UsageException)
        {
            if (context.GetEnvironmentVariable("CAISSON_DEBUG") is "1")
                context.Error.WriteLine(e.ToString());
            invocation.ReportError(e);
            return ExitCodes.Failure;
        }
    }

    private static int WriteHelpFor(IReadOnlyList<string> words, CliContext context)
    {
        if (words.Count == 0)
        {
            HelpWriter.WriteOverview(context.Out);
            return ExitCodes.Success;
        }
        var command = CommandCatalog.Find(words[0])
            ?? throw new UsageException($"no help for unknown command \"{words[0]}\"");
        HelpWriter.WriteCommand(context.Out, command);
        return ExitCodes.Success;
    }

    private static void CheckArgumentCount(CommandSpec command, int count)
    {
        if (count >= command.MinArguments && count <= command.MaxArguments)
            return;
        var wanted = (command.MinArguments, command.MaxArguments) switch
        {
            (0, 0) => "no arguments",
            (var min, var max) when min == max => $"exactly {min} argument{(min == 1 ? "" : "s")}",
            (var min, int.MaxValue) => $"at least {min} argument{(min == 1 ? "" : "s")}",
            (0, var max) => $"at most {max} argument{(max == 1 ? "" : "s")}",
            (var min, var max) => $"{min} to {max} arguments",
        };
        throw new UsageException($"\"caisson {command.Name}\" takes {wanted}, got {count}", command.Name);
    }

    /// <summary>--address, then $CAISSON_ADDRESS, then the default; a crictl-style unix:// prefix is accepted.</summary>
    internal static string ResolveSocketPath(string? flag, CliContext context)
    {
        var address = flag;
        if (string.IsNullOrEmpty(address))
            address = context.GetEnvironmentVariable(AddressEnvironmentVariable);
        if (string.IsNullOrEmpty(address))
            return DefaultSocketPath;
        return address.StartsWith("unix://", StringComparison.Ordinal) ? address["unix://".Length..] : address;
    }

    private static bool IsCancellation(Exception e, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
        && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled };
}
