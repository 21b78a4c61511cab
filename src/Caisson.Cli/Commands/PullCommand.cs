using Caisson.Api.V1;
using Caisson.Cli.Arguments;
using Caisson.Cli.Progress;
using Caisson.Core.Errors;
using Caisson.Core.Oci;

namespace Caisson.Cli.Commands;

/// <summary>caisson pull: asks the daemon to pull an image and shows its progress.</summary>
internal static class PullCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "pull",
        Usage = "caisson pull [OPTIONS] IMAGE",
        Summary = "Download an image from a registry",
        Description = "Asks caissond to download IMAGE (a name such as busybox, registry.k8s.io/pause:3.10 or "
            + "name@sha256:...) and unpack it, showing each layer's progress. On a terminal the progress is drawn as "
            + "bars updated in place; otherwise one line is printed whenever a layer changes state. At the end the "
            + "image id and the manifest digest are printed.",
        Flags =
        [
            FlagSpec.Value("platform", null, "OS/ARCH[/VARIANT]", "Platform to pull from a multi-platform image", "this machine's"),
            FlagSpec.Value("user", 'u', "USER[:PASSWORD]", "Registry credentials"),
            FlagSpec.Boolean("password-stdin", null, "Read the registry password from standard input"),
            FlagSpec.Value("progress", null, "MODE", "Progress display: auto, tty or plain", "auto"),
            FlagSpec.Boolean("quiet", 'q', "Show no progress; print only the image id"),
        ],
        Examples =
        [
            new("caisson pull busybox", "Pull docker.io/library/busybox:latest"),
            new("caisson pull --platform linux/arm64 registry.k8s.io/pause:3.10", "Pull the arm64 image of a multi-platform index"),
            new("echo \"$TOKEN\" | caisson pull -u robot --password-stdin registry.example.com/team/app:1.2", "Pull from a private registry"),
        ],
        MinArguments = 1,
        MaxArguments = 1,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var reference = invocation.Arguments.Positionals[0];
        var view = CreateView(invocation);
        var request = new PullRequest
        {
            Reference = reference,
            Platform = ReadPlatform(invocation),
            Auth = await ReadAuthAsync(invocation),
        };
        var final = await ImagePull.RunAsync(invocation, request, view);
        if (invocation.Arguments.Flag("quiet"))
        {
            invocation.Out.WriteLine(final.ImageId);
            return ExitCodes.Success;
        }
        invocation.Out.WriteLine($"Pulled: {(string.IsNullOrEmpty(final.Reference) ? reference : final.Reference)}");
        invocation.Out.WriteLine($"Image ID: {final.ImageId}");
        invocation.Out.WriteLine($"Digest: {final.ManifestDigest}");
        return ExitCodes.Success;
    }

    private static string ReadPlatform(CommandInvocation invocation)
    {
        var value = invocation.Arguments.Value("platform");
        if (string.IsNullOrEmpty(value))
            return "";
        try
        {
            return Platform.Parse(value).ToString();
        }
        catch (InvalidArgumentException e)
        {
            throw invocation.UsageError(e.Message);
        }
    }

    private static async Task<RegistryAuth?> ReadAuthAsync(CommandInvocation invocation)
    {
        var user = invocation.Arguments.Value("user");
        var passwordFromStdin = invocation.Arguments.Flag("password-stdin");
        if (user is null)
        {
            return passwordFromStdin
                ? throw invocation.UsageError("--password-stdin needs --user USER")
                : null;
        }
        var colon = user.IndexOf(':', StringComparison.Ordinal);
        var username = colon < 0 ? user : user[..colon];
        if (colon >= 0 && passwordFromStdin)
            throw invocation.UsageError("give the password either in --user USER:PASSWORD or with --password-stdin, not both");
        if (colon < 0 && !passwordFromStdin)
            throw invocation.UsageError("--user USER needs a password: --user USER:PASSWORD or --password-stdin");
        var password = colon >= 0 ? user[(colon + 1)..] : await ReadPasswordAsync(invocation);
        return new RegistryAuth { Username = username, Password = password };
    }

    private static async Task<string> ReadPasswordAsync(CommandInvocation invocation)
    {
        using var reader = new StreamReader(invocation.Context.Input, leaveOpen: true);
        var text = await reader.ReadToEndAsync(invocation.CancellationToken);
        return text.TrimEnd('\r', '\n');
    }

    private static IPullProgressView CreateView(CommandInvocation invocation)
    {
        var context = invocation.Context;
        if (invocation.Arguments.Flag("quiet"))
            return new QuietPullProgress();
        var terminal = invocation.Arguments.Value("progress", "auto") switch
        {
            "auto" => context.OutputIsTerminal,
            "tty" => true,
            "plain" => false,
            var other => throw invocation.UsageError($"unknown progress mode \"{other}\": use auto, tty or plain"),
        };
        return ImagePull.CreateView(context, context.Out, terminal);
    }
}
