using System.Globalization;
using Caisson.Api.Cri;
using Caisson.Cli.Commands;
using Caisson.Core.Errors;

namespace Caisson.Cli.Containers;

/// <summary>When `caisson run` pulls its image.</summary>
internal enum PullPolicy
{
    Missing,
    Always,
    Never,
}

/// <summary>Everything `caisson run` was asked for, read and checked before the daemon is asked anything.</summary>
internal sealed record RunOptions
{
    public const int DefaultStopTimeoutSeconds = 10;

    public required string Image { get; init; }

    /// <summary>The words after IMAGE: they replace the image's Cmd (docker's rule).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>--entrypoint: null keeps the image's; "" clears it.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>--name, or null to generate one.</summary>
    public string? Name { get; init; }

    public IReadOnlyList<KeyValue> Environment { get; init; } = [];

    public IReadOnlyList<Mount> Mounts { get; init; } = [];

    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>From -u: the user (and group) the container runs as, or null for the image's.</summary>
    public LinuxContainerSecurityContext? Security { get; init; }

    public string? Hostname { get; init; }

    public string RuntimeHandler { get; init; } = "";

    public bool Detach { get; init; }

    public bool RemoveAfterExit { get; init; }

    public PullPolicy Pull { get; init; }

    public int StopTimeoutSeconds { get; init; } = DefaultStopTimeoutSeconds;

    /// <summary>Reads the flags and arguments; a wrong one is a usage error naming it.</summary>
    public static RunOptions Read(CommandInvocation invocation)
    {
        var arguments = invocation.Arguments;
        if (arguments.Flag("interactive") || arguments.Flag("tty"))
        {
            throw invocation.UsageError(
                "interactive containers (-i, -t) need a streaming attach, which caisson does not have yet; "
                + "give the container a command, or run it with -d and use caisson exec");
        }
        try
        {
            var name = arguments.Value("name");
            if (name is not null)
                ContainerNames.Validate(name);
            var workingDirectory = arguments.Value("workdir");
            if (workingDirectory is not null && !workingDirectory.StartsWith('/'))
                throw new InvalidArgumentException($"-w {workingDirectory}: the working directory must be an absolute path");
            var options = new RunOptions
            {
                Image = arguments.Positionals[0],
                Arguments = [.. arguments.Positionals.Skip(1)],
                Entrypoint = arguments.Value("entrypoint"),
                Name = name,
                Environment = [.. arguments.Values("env").Select(e => EnvironmentVariables.Parse(e, invocation.Context.GetEnvironmentVariable)).OfType<KeyValue>()],
                Mounts = [.. arguments.Values("volume").Select(v => VolumeBinding.Parse(v, Directory.GetCurrentDirectory()))],
                Ports = [.. arguments.Values("publish").SelectMany(PortPublishing.Parse)],
                WorkingDirectory = workingDirectory,
                Security = ReadUser(arguments.Value("user")),
                Hostname = arguments.Value("hostname"),
                RuntimeHandler = arguments.Value("runtime", ""),
                Detach = arguments.Flag("detach"),
                RemoveAfterExit = arguments.Flag("rm"),
                Pull = ReadPullPolicy(arguments.Value("pull", "missing")),
                StopTimeoutSeconds = ReadSeconds(arguments.Value("stop-timeout")),
            };
            if (options.Entrypoint == "" && options.Arguments.Count == 0)
                throw new InvalidArgumentException("--entrypoint \"\" clears the image's entrypoint: give the command to run after IMAGE");
            return options;
        }
        catch (InvalidArgumentException e)
        {
            throw invocation.UsageError(e.Message);
        }
    }

    private static LinuxContainerSecurityContext? ReadUser(string? value)
    {
        if (value is null)
            return null;
        var security = new LinuxContainerSecurityContext();
        UserSpec.Apply(value, security);
        return security;
    }

    private static PullPolicy ReadPullPolicy(string value) => value switch
    {
        "missing" => PullPolicy.Missing,
        "always" => PullPolicy.Always,
        "never" => PullPolicy.Never,
        _ => throw new InvalidArgumentException($"unknown pull policy \"{value}\": use missing, always or never"),
    };

    internal static int ReadSeconds(string? value)
    {
        if (value is null)
            return DefaultStopTimeoutSeconds;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new InvalidArgumentException($"\"{value}\" is not a number of seconds");
    }
}
