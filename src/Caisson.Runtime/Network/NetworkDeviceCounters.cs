using System.Globalization;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Network;

/// <summary>One network interface's cumulative traffic counters, as the kernel keeps them in /proc/net/dev.</summary>
internal sealed record NetworkDeviceCounters(string Name, ulong ReceivedBytes, ulong ReceiveErrors, ulong TransmittedBytes, ulong TransmitErrors)
{
    // After "name:", /proc/net/dev has 8 receive columns (bytes packets errs drop fifo frame compressed multicast),
    // then 8 transmit columns (bytes packets errs drop fifo colls carrier compressed).
    private const int ReceiveBytesColumn = 0;
    private const int ReceiveErrorsColumn = 2;
    private const int TransmitBytesColumn = 8;
    private const int TransmitErrorsColumn = 10;
    private const int Columns = 16;

    /// <summary>
    /// The interfaces of the network namespace pinned at <paramref name="pinPath"/>. /proc/thread-self/net shows the
    /// namespace of the reading thread, so the file is read on a thread that has entered the pod's namespace: no
    /// process needs to be running in the pod.
    /// </summary>
    public static IReadOnlyList<NetworkDeviceCounters> ReadInside(string pinPath) =>
        Parse(NetworkNamespace.RunInside(pinPath, () => File.ReadAllText("/proc/thread-self/net/dev")));

    /// <summary>Parses /proc/net/dev text: two header lines, then "name: sixteen counters" per interface.</summary>
    public static IReadOnlyList<NetworkDeviceCounters> Parse(string text)
    {
        var devices = new List<NetworkDeviceCounters>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                continue; // a header line
            var name = line[..colon].Trim();
            var columns = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (name.Length == 0 || columns.Length < Columns)
                throw new CaissonException(ErrorKind.Internal, $"/proc/net/dev: unreadable line \"{line.Trim()}\"");
            devices.Add(new NetworkDeviceCounters(
                name,
                Counter(columns[ReceiveBytesColumn], line),
                Counter(columns[ReceiveErrorsColumn], line),
                Counter(columns[TransmitBytesColumn], line),
                Counter(columns[TransmitErrorsColumn], line)));
        }

        return devices;
    }

    private static ulong Counter(string column, string line) =>
        ulong.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CaissonException(ErrorKind.Internal, $"/proc/net/dev: \"{column}\" is not a counter in \"{line.Trim()}\"");
}
