namespace Caisson.Runtime.Containers;

/// <summary>CRI timestamps: nanoseconds since the Unix epoch.</summary>
internal static class UnixTime
{
    /// <summary>To the 100 ns a DateTimeOffset holds (the shim's clock gives nanoseconds; milliseconds would lose order).</summary>
    public static long Nanoseconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
