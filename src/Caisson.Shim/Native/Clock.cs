namespace Caisson.Shim.Native;

/// <summary>Wall-clock time with nanoseconds (CLOCK_REALTIME), for log records and container times.</summary>
internal static unsafe class Clock
{
    public static Libc.Timespec Now()
    {
        Libc.Timespec time;
        Libc.clock_gettime(Libc.CLOCK_REALTIME, &time);
        return time;
    }

    public static string Format(Libc.Timespec time)
    {
        Span<byte> text = stackalloc byte[32];
        var length = Logging.CriLogFile.WriteTimestamp(text, time);
        return System.Text.Encoding.ASCII.GetString(text[..length]);
    }
}
