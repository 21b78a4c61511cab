using Caisson.Shim.Native;

namespace Caisson.Shim.Logging;

/// <summary>
/// The container's log in the kubelet's CRI format, one record per line or line fragment:
/// <c>2026-11-25T21:00:00.123456789Z stdout F text</c>. A failing write drops the record rather than ever
/// stalling the container; kubelet rotation renames the file and asks for <see cref="Reopen"/>.
/// </summary>
internal sealed unsafe class CriLogFile : IDisposable
{
    /// <summary>The longest content of one record; longer lines are split into P fragments (as containerd does).</summary>
    public const int MaxLineBytes = 16 * 1024;

    private const int TimestampLength = 30; // yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ

    private readonly string? path;
    private readonly byte[] record = new byte[TimestampLength + 10 + MaxLineBytes + 1];
    private int fd = -1;

    /// <param name="path">The log path, or null to discard output (a container created without one).</param>
    public CriLogFile(string? path)
    {
        this.path = path;
        Reopen();
    }

    /// <summary>Opens the path again (O_APPEND|O_CREAT): after a rename, new records go to a new file.</summary>
    public void Reopen()
    {
        if (path is null)
            return;
        var reopened = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC, 0x1a0 /* 0640 */);
        if (reopened < 0)
            throw Libc.Failure("open log", path);
        if (fd >= 0)
            Libc.close(fd);
        fd = reopened;
    }

    /// <summary>Writes one record; <paramref name="partial"/> marks a fragment of a longer line (tag P, else F).</summary>
    public void Write(ReadOnlySpan<byte> stream, bool partial, ReadOnlySpan<byte> content)
    {
        if (fd < 0)
            return;
        var length = WriteTimestamp(record, Clock.Now());
        record[length++] = (byte)' ';
        stream.CopyTo(record.AsSpan(length));
        length += stream.Length;
        record[length++] = (byte)' ';
        record[length++] = partial ? (byte)'P' : (byte)'F';
        record[length++] = (byte)' ';
        content.CopyTo(record.AsSpan(length));
        length += content.Length;
        record[length++] = (byte)'\n';
        fixed (byte* bytes = record)
        {
            var written = 0;
            while (written < length)
            {
                var result = Libc.write(fd, bytes + written, length - written);
                if (result < 0 && Libc.LastError == Libc.EINTR)
                    continue;
                if (result <= 0)
                    return; // a full disk loses log records, never the container
                written += (int)result;
            }
        }
    }

    /// <summary>RFC 3339 with nanoseconds, always nine digits so records sort as text too.</summary>
    public static int WriteTimestamp(Span<byte> destination, Libc.Timespec time)
    {
        var utc = DateTime.UnixEpoch.AddSeconds(time.Seconds);
        var position = 0;
        Digits(destination, ref position, utc.Year, 4);
        destination[position++] = (byte)'-';
        Digits(destination, ref position, utc.Month, 2);
        destination[position++] = (byte)'-';
        Digits(destination, ref position, utc.Day, 2);
        destination[position++] = (byte)'T';
        Digits(destination, ref position, utc.Hour, 2);
        destination[position++] = (byte)':';
        Digits(destination, ref position, utc.Minute, 2);
        destination[position++] = (byte)':';
        Digits(destination, ref position, utc.Second, 2);
        destination[position++] = (byte)'.';
        Digits(destination, ref position, (int)time.Nanoseconds, 9);
        destination[position++] = (byte)'Z';
        return position;
    }

    private static void Digits(Span<byte> destination, ref int position, int value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            destination[position + i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        position += count;
    }

    public void Dispose()
    {
        if (fd >= 0)
            Libc.close(fd);
        fd = -1;
    }
}
