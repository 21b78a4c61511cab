using System.Globalization;

namespace Caisson.Cli.Output;

/// <summary>Sizes and ages as people read them, matching what docker prints ("4.26MB", "3 days ago").</summary>
internal static class HumanFormat
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    /// <summary>Decimal units, three significant digits, trailing zeros dropped: 999B, 1kB, 4.26MB, 123MB.</summary>
    public static string Size(long bytes)
    {
        if (bytes < 0) return "-" + Size(-Math.Max(bytes, -long.MaxValue));
        return Scaled(bytes, 1000, DecimalUnits);
    }

    /// <summary>Binary units, as docker stats shows memory: 512B, 1.5MiB, 7.63GiB.</summary>
    public static string BinarySize(ulong bytes) => Scaled(bytes, 1024, BinaryUnits);

    private static string Scaled(double value, int step, string[] units)
    {
        var unit = 0;
        while (true)
        {
            var rounded = RoundToSignificant(value, 3);
            if (rounded < 1000 || unit == units.Length - 1)
                return rounded.ToString("0.##", CultureInfo.InvariantCulture) + units[unit];
            value /= step;
            unit++;
        }
    }

    /// <summary>A rate such as "12.3MB/s"; no elapsed time yet gives "-".</summary>
    public static string Speed(long bytes, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? "-" : Size((long)(bytes / elapsed.TotalSeconds)) + "/s";

    /// <summary>How long ago, in the coarse words docker uses: "Less than a second", "About an hour", "3 days".</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (long)span.TotalSeconds;
        var minutes = (long)span.TotalMinutes;
        var hours = (long)Math.Round(span.TotalHours, MidpointRounding.AwayFromZero);
        return span.TotalSeconds switch
        {
            < 1 => "Less than a second",
            < 2 => "1 second",
            < 60 => $"{seconds} seconds",
            _ when minutes == 1 => "About a minute",
            _ when minutes < 60 => $"{minutes} minutes",
            _ when hours == 1 => "About an hour",
            _ when hours < 48 => $"{hours} hours",
            _ when hours < 24 * 7 * 2 => $"{hours / 24} days",
            _ when hours < 24 * 30 * 2 => $"{hours / 24 / 7} weeks",
            _ when hours < 24 * 365 * 2 => $"{hours / 24 / 30} months",
            _ => $"{(long)(span.TotalHours / 24 / 365)} years",
        };
    }

    /// <summary>"3 days ago" for a Unix time; "N/A" when the image does not say (0).</summary>
    public static string Ago(long unixSeconds, DateTimeOffset now) =>
        unixSeconds <= 0 ? "N/A" : Duration(now - DateTimeOffset.FromUnixTimeSeconds(unixSeconds)) + " ago";

    private static double RoundToSignificant(double value, int digits)
    {
        if (value == 0) return 0;
        var decimals = digits - 1 - (int)Math.Floor(Math.Log10(value));
        return decimals < 0 ? Math.Round(value / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals)
                            : Math.Round(value, Math.Min(decimals, 15), MidpointRounding.AwayFromZero);
    }
}
