namespace Caisson.Images.Distribution;

/// <summary>Exponential retry delays with jitter, so that many clients do not hammer a recovering registry in step.</summary>
internal static class Backoff
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public static TimeSpan Delay(TimeSpan baseDelay, int retry)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 16));
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, MaxDelay.TotalMilliseconds));
    }
}
