namespace Caisson.Core.Time;

/// <summary>CRI and caisson.v1 timestamps: nanoseconds since the Unix epoch.</summary>
public static class UnixTime
{
    /// <summary>To the 100 ns a DateTimeOffset holds (the shim's clock gives nanoseconds; milliseconds would lose order).</summary>
    public static long Nanoseconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;

    public static DateTimeOffset FromNanoseconds(long nanoseconds) => DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);
}
