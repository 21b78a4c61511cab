using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>A file timestamp with nanosecond precision, as the kernel keeps it.</summary>
public readonly record struct UnixTimestamp(long Seconds, uint Nanoseconds)
{
    public static UnixTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        return new UnixTimestamp(seconds, (uint)(remainder * 100));
    }

    internal TimeSpec ToTimeSpec() => new() { Seconds = Seconds, Nanoseconds = Nanoseconds };
}
