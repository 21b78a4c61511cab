using System.Net;
using Caisson.Runtime.Network;

namespace Caisson.Tests.Runtime.Network;

/// <summary>
/// A pod network of one test's own: a temp conf dir holding the default conflist with a test-unique bridge
/// (caissontN) and subnet (10.250.N.0/24), host-local allocations in a temp data dir (never /var/lib/cni), a temp
/// state dir and pin dir. Disposing removes pins, the bridge and the iptables rules the network left.
/// </summary>
internal sealed class CniTestNetwork : IDisposable
{
    private static int _next = Random.Shared.Next(0, 200);

    public CniTestNetwork()
    {
        Number = Interlocked.Increment(ref _next) % 250 + 1;
        Root = Directory.CreateTempSubdirectory("caisson-cni-").FullName;
        BridgeName = $"caissont{Number}";
        NetworkName = $"caisson-test-{Number}";
        Subnet = IPNetwork.Parse($"10.250.{Number}.0/24");
        ConfDirectory = Path.Combine(Root, "net.d");
        IpamDataDirectory = Path.Combine(Root, "ipam");
        ConfigPath = DefaultCniConfig.Write(ConfDirectory, new DefaultCniConfigOptions
        {
            PodCidr = Subnet.ToString(),
            BridgeName = BridgeName,
            NetworkName = NetworkName,
            IpamDataDirectory = IpamDataDirectory,
        });
        Options = new PodNetworkOptions
        {
            ConfDirectory = ConfDirectory,
            StateDirectory = Path.Combine(Root, "state"),
            PluginTimeout = TimeSpan.FromSeconds(30),
        };
        Network = new PodNetwork(Options);
    }

    public int Number { get; }

    public string Root { get; }

    public string BridgeName { get; }

    public string NetworkName { get; }

    public IPNetwork Subnet { get; }

    public string ConfDirectory { get; }

    public string IpamDataDirectory { get; }

    public string ConfigPath { get; }

    public PodNetworkOptions Options { get; }

    public PodNetwork Network { get; }

    public PinDirectoryFixture Pins { get; } = new();

    public PodNetworkRequest Request(string sandboxId, params PortMapping[] ports) =>
        new(sandboxId, $"pod-{sandboxId}", "caisson-test", Pins.PinPath(sandboxId), ports);

    /// <summary>A new pinned netns plus a request for it.</summary>
    public PodNetworkRequest NewPod(params PortMapping[] ports)
    {
        var id = $"t{Number}-{Guid.NewGuid():N}";
        NetworkNamespace.Create(Pins.Directory, id);
        return Request(id, ports);
    }

    /// <summary>host-local's allocation files: one per leased IP (named after it), besides its bookkeeping files.</summary>
    public IReadOnlyList<string> LeasedAddresses()
    {
        var directory = Path.Combine(IpamDataDirectory, NetworkName);
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(f => Path.GetFileName(f)).Where(n => IPAddress.TryParse(n, out _)).ToList()
            : [];
    }

    public void Dispose()
    {
        try
        {
            // A failed test may leave pods set up: tear them down so no rule or lease outlives the test.
            if (Directory.Exists(Options.StateDirectory))
            {
                foreach (var record in Directory.EnumerateFiles(Options.StateDirectory, "*.json"))
                    Network.TearDownAsync(Path.GetFileNameWithoutExtension(record)).GetAwaiter().GetResult();
            }
        }
        finally
        {
            Pins.Dispose();
            HostCommands.DeleteLinkIfPresent(BridgeName);
            Directory.Delete(Root, recursive: true);
        }
    }
}
