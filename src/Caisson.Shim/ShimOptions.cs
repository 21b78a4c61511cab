namespace Caisson.Shim;

/// <summary>The shim's command line: named options only, each given once.</summary>
internal sealed record ShimOptions(
    string Id, string Bundle, string Runtime, string RuntimeRoot, string? LogPath, string StateDirectory, bool Stdin, int ReadyFd,
    string? OomEventsPath = null)
{
    public string SocketPath => Path.Combine(StateDirectory, "shim.sock");

    public string InitPidPath => Path.Combine(StateDirectory, "init.pid");

    public string RuntimeLogPath => Path.Combine(StateDirectory, "runc.log");

    public string ShimLogPath => Path.Combine(StateDirectory, "shim.log");

    public static ShimOptions Parse(IReadOnlyList<string> arguments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var stdin = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var name = arguments[i];
            if (name == "--stdin")
            {
                stdin = true;
                continue;
            }

            if (name is not ("--id" or "--bundle" or "--runtime" or "--runtime-root" or "--log" or "--state-dir" or "--ready-fd" or "--oom-events"))
                throw new ShimException($"unknown argument '{name}'");
            if (i + 1 >= arguments.Count)
                throw new ShimException($"{name} needs a value");
            if (!values.TryAdd(name, arguments[++i]))
                throw new ShimException($"{name} given twice");
        }

        string Required(string name) => values.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new ShimException($"{name} is required");

        var id = Required("--id");
        if (id.Contains('/', StringComparison.Ordinal) || id.StartsWith('-'))
            throw new ShimException($"invalid container id '{id}'");
        var readyFd = -1;
        if (values.TryGetValue("--ready-fd", out var fd) && (!int.TryParse(fd, out readyFd) || readyFd < 3))
            throw new ShimException($"invalid --ready-fd '{fd}'");
        return new ShimOptions(
            id,
            Path.GetFullPath(Required("--bundle")),
            Required("--runtime"),
            Path.GetFullPath(Required("--runtime-root")),
            values.TryGetValue("--log", out var log) && log.Length > 0 ? Path.GetFullPath(log) : null,
            Path.GetFullPath(Required("--state-dir")),
            stdin,
            readyFd,
            values.TryGetValue("--oom-events", out var oomEvents) && oomEvents.Length > 0 ? oomEvents : null);
    }

    /// <summary>The arguments that start the detached second stage: these options plus the ready pipe.</summary>
    public List<string> ToArguments(int readyFd)
    {
        var arguments = new List<string>
        {
            "--id", Id, "--bundle", Bundle, "--runtime", Runtime, "--runtime-root", RuntimeRoot, "--state-dir", StateDirectory,
            "--ready-fd", readyFd.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (LogPath is not null)
            arguments.AddRange(["--log", LogPath]);
        if (OomEventsPath is not null)
            arguments.AddRange(["--oom-events", OomEventsPath]);
        if (Stdin)
            arguments.Add("--stdin");
        return arguments;
    }
}
