using Caisson.Core.Errors;
using Caisson.Runtime.Network;

namespace Caisson.Tests.Runtime.Network;

public sealed class NetworkDeviceCountersTests : IDisposable
{
    private const string Header =
        "Inter-|   Receive                                                |  Transmit\n" +
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";

    private readonly PinDirectoryFixture _pins = new();

    public void Dispose() => _pins.Dispose();

    [Fact]
    public void Parses_bytes_and_errors_of_each_interface()
    {
        var text = Header +
            "    lo:     840      12    0    0    0     0          0         0      840      12    0    0    0     0       0          0\n" +
            "  eth0: 1234567    3210    4    1    0     0          0         7   765432    2100    5    0    0     0       0          0\n";

        var devices = NetworkDeviceCounters.Parse(text);

        Assert.Equal(
            [new NetworkDeviceCounters("lo", 840, 0, 840, 0), new NetworkDeviceCounters("eth0", 1234567, 4, 765432, 5)],
            devices);
    }

    [Theory]
    [InlineData("too few columns", "  eth0: 1 2 3 4 5 6 7 8 9 10\n")]
    [InlineData("a counter that is not a number", "  eth0: 1 2 x 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    [InlineData("a negative counter", "  eth0: -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    [InlineData("no interface name", "  : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    public void Refuses_unreadable_lines(string description, string line)
    {
        var error = Assert.Throws<CaissonException>(() => NetworkDeviceCounters.Parse(Header + line));
        Assert.Contains("/proc/net/dev", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(description);
    }

    [Fact]
    [Trait("Category", "Privileged")]
    public void Reads_the_pinned_namespace_not_the_callers()
    {
        var pin = NetworkNamespace.Create(_pins.Directory, "counters");

        var inside = NetworkDeviceCounters.ReadInside(pin);
        var host = NetworkDeviceCounters.Parse(File.ReadAllText("/proc/thread-self/net/dev"));

        // A fresh namespace has only its loopback, down and silent; the host has more than that.
        Assert.Equal([new NetworkDeviceCounters("lo", 0, 0, 0, 0)], inside);
        Assert.Contains(host, d => d.Name != "lo");
    }
}
