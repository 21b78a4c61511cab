using System.Globalization;

namespace Caisson.Bench.Cri;

/// <summary>What <c>caisson-bench-cri run</c> measures and where: one runtime, one socket.</summary>
internal sealed record RunOptions
{
    public required string Name { get; init; }

    public required string Socket { get; init; }

    /// <summary>The daemon's process (caissond's dotnet host, containerd): its memory is what "daemon RSS" means.</summary>
    public required int DaemonPid { get; init; }

    /// <summary>Shims are the processes running this executable (/proc/PID/exe) ...</summary>
    public required string ShimExecutable { get; init; }

    /// <summary>... whose command line holds this text, if given (containerd's shims name their daemon's socket).</summary>
    public string? ShimCommandLineContains { get; init; }

    public required string Image { get; init; }

    public IReadOnlyList<string> Pulls { get; init; } = [];

    public required string LogDirectory { get; init; }

    public required string CgroupParent { get; init; }

    public required string Output { get; init; }

    public int Iterations { get; init; } = 30;

    public int Warmup { get; init; } = 3;

    public int Pods { get; init; } = 50;

    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"expected --option VALUE pairs, got \"{args[i]}\"");
            var key = args[i][2..];
            if (!values.TryGetValue(key, out var list))
                values[key] = list = [];
            list.Add(args[i + 1]);
        }

        string Required(string key) => Optional(key) ?? throw new ArgumentException($"--{key} is required");
        string? Optional(string key) => values.Remove(key, out var list) ? list[^1] : null;
        int Number(string key, int fallback, int minimum) =>
            Optional(key) is { } text
                ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum
                    ? n
                    : throw new ArgumentException($"--{key} must be a whole number >= {minimum}, got \"{text}\"")
                : fallback;

        var options = new RunOptions
        {
            Name = Required("name"),
            Socket = Required("socket"),
            DaemonPid = Number("daemon-pid", 0, 1) is var pid and > 0 ? pid : throw new ArgumentException("--daemon-pid is required"),
            ShimExecutable = Required("shim-exe"),
            ShimCommandLineContains = Optional("shim-cmdline-contains"),
            Image = Required("image"),
            Pulls = values.Remove("pull", out var pulls) ? pulls : [],
            LogDirectory = Required("log-dir"),
            CgroupParent = Required("cgroup-parent"),
            Output = Required("out"),
            Iterations = Number("iterations", 30, 1),
            Warmup = Number("warmup", 3, 0),
            Pods = Number("pods", 50, 0),
        };
        if (values.Count > 0)
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        return options;
    }
}
