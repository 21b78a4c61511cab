using Caisson.Core.Time;
using Caisson.Runtime.Shim;

namespace Caisson.Runtime.Containers;

/// <summary>
/// How a container ended: as its shim (or the exit file it left) tells it, or, when both are gone, an unknown
/// exit. Reasons and the unknown exit code are containerd's, which kubelet and its tooling expect.
/// </summary>
internal sealed record ContainerExit(int ExitCode, string Reason, DateTimeOffset FinishedAt, DateTimeOffset? StartedAt)
{
    public const string CompletedReason = "Completed";
    public const string ErrorReason = "Error";
    public const string OomKilledReason = "OOMKilled";
    public const string UnknownReason = "Unknown";
    public const int UnknownExitCode = 255;

    /// <summary>An OOM kill wins over the exit code, as in containerd: the process that died may not be the init.</summary>
    public static ContainerExit FromShim(ShimStatus status, DateTimeOffset now)
    {
        var exitCode = status.ExitCode ?? UnknownExitCode;
        var reason = status.OomKilled ? OomKilledReason : exitCode == 0 ? CompletedReason : ErrorReason;
        return new ContainerExit(exitCode, reason, status.FinishedAt ?? now, status.StartedAt);
    }

    /// <summary>The container's shim died without recording an exit: when and how it ended is not known.</summary>
    public static ContainerExit Unknown(DateTimeOffset now) => new(UnknownExitCode, UnknownReason, now, null);

    public ContainerRecord ApplyTo(ContainerRecord record) => record with
    {
        State = ContainerState.Exited,
        ExitCode = ExitCode,
        Reason = Reason,
        FinishedAtNanoseconds = UnixTime.Nanoseconds(FinishedAt),
        StartedAtNanoseconds = record.StartedAtNanoseconds == 0 && StartedAt is { } started ? UnixTime.Nanoseconds(started) : record.StartedAtNanoseconds,
    };
}
