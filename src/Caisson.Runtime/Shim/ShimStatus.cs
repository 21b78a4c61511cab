using System.Globalization;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Shim;

/// <summary>Where a shim's container is in its life.</summary>
public enum ShimContainerState
{
    Created,
    Running,
    Exited,
}

/// <summary>A container's status as its shim reports it (the reply to status/start/wait, and the STATE/exit file).</summary>
public sealed record ShimStatus(ShimContainerState State, int Pid, int? ExitCode, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    /// <summary>The kernel's OOM killer ended a process of the container (its cgroup's oom_kill counter grew).</summary>
    public bool OomKilled { get; init; }

    /// <summary>Parses <c>state=exited pid=12 exit_code=3 started_at=T finished_at=T oom_killed=true</c>; unknown keys are ignored.</summary>
    public static ShimStatus Parse(string words)
    {
        ShimContainerState? state = null;
        int? pid = null;
        int? exitCode = null;
        DateTimeOffset? startedAt = null;
        DateTimeOffset? finishedAt = null;
        var oomKilled = false;
        foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw Invalid(words);
            var value = word[(equals + 1)..];
            switch (word[..equals])
            {
                case "state":
                    state = Enum.TryParse<ShimContainerState>(value, ignoreCase: true, out var parsed) ? parsed : throw Invalid(words);
                    break;
                case "pid":
                    pid = ParseInt(value, words);
                    break;
                case "exit_code":
                    exitCode = ParseInt(value, words);
                    break;
                case "started_at":
                    startedAt = ParseTime(value, words);
                    break;
                case "finished_at":
                    finishedAt = ParseTime(value, words);
                    break;
                case "oom_killed":
                    oomKilled = bool.TryParse(value, out var killed) ? killed : throw Invalid(words);
                    break;
            }
        }

        return new ShimStatus(state ?? throw Invalid(words), pid ?? throw Invalid(words), exitCode, startedAt, finishedAt) { OomKilled = oomKilled };
    }

    /// <summary>RFC 3339 with up to nine fraction digits; digits past the 100 ns a DateTimeOffset holds are dropped.</summary>
    internal static DateTimeOffset ParseTime(string value, string context)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var text = dot >= 0 && value.EndsWith('Z') && value.Length - dot - 2 > 7 ? value[..(dot + 8)] + "Z" : value;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Invalid(context);
    }

    private static int ParseInt(string value, string context) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : throw Invalid(context);

    private static CaissonException Invalid(string words) =>
        new(ErrorKind.Internal, $"unreadable shim status '{words}'");
}
