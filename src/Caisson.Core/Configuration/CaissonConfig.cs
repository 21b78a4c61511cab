namespace Caisson.Core.Configuration;

/// <summary>
/// Everything /etc/caisson/config.toml can set. Every key has a default here; <see cref="DefaultConfigToml"/>
/// renders these defaults as the documented file `caisson config default` prints.
/// </summary>
public sealed class CaissonConfig
{
    public const string DefaultPath = "/etc/caisson/config.toml";

    public int Version { get; set; } = 1;

    /// <summary>Persistent state: content, snapshots, metadata.</summary>
    public string Root { get; set; } = "/var/lib/caisson";

    /// <summary>Volatile state: socket, bundles, shim sockets, netns pins.</summary>
    public string State { get; set; } = "/run/caisson";

    public GrpcSection Grpc { get; set; } = new();

    public LogSection Log { get; set; } = new();

    public ImagesSection Images { get; set; } = new();

    public RegistrySection Registry { get; set; } = new();

    public RuntimeSection Runtime { get; set; } = new();

    public CniSection Cni { get; set; } = new();

    /// <summary>The socket path: explicit, or <c>&lt;state&gt;/caisson.sock</c>.</summary>
    public string SocketPath => string.IsNullOrEmpty(Grpc.Address) ? Path.Combine(State, "caisson.sock") : Grpc.Address;
}

public sealed class GrpcSection
{
    /// <summary>Unix socket path; empty means &lt;state&gt;/caisson.sock.</summary>
    public string Address { get; set; } = "";

    /// <summary>Group owning the socket (mode 0660).</summary>
    public int Gid { get; set; }
}

public sealed class LogSection
{
    /// <summary>trace, debug, info, warn, error.</summary>
    public string Level { get; set; } = "info";

    /// <summary>text or json.</summary>
    public string Format { get; set; } = "text";
}

public sealed class ImagesSection
{
    /// <summary>overlayfs, or native (copies each layer; works where overlayfs does not).</summary>
    public string Snapshotter { get; set; } = "overlayfs";

    public int MaxConcurrentDownloads { get; set; } = 3;

    /// <summary>Retries of one blob download (each resumes where the last stopped).</summary>
    public int MaxDownloadRetries { get; set; } = 5;

    /// <summary>os/arch[/variant] to pull; empty means this machine's.</summary>
    public string Platform { get; set; } = "";
}

public sealed class RegistrySection
{
    /// <summary>A docker-style config.json whose "auths" supply credentials; empty means none.</summary>
    public string ConfigFile { get; set; } = "";

    /// <summary>Registry host -> mirror endpoints tried in order before the registry itself.</summary>
    public Dictionary<string, MirrorSection> Mirrors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Registry or mirror host[:port] -> how to connect and authenticate.</summary>
    public Dictionary<string, RegistryHostSection> Hosts { get; set; } = new(StringComparer.Ordinal);
}

public sealed class MirrorSection
{
    public List<string> Endpoints { get; set; } = [];
}

public sealed class RegistryHostSection
{
    /// <summary>Talk plain HTTP to this host (a local registry).</summary>
    public bool PlainHttp { get; set; }

    /// <summary>Accept any TLS certificate from this host.</summary>
    public bool SkipVerify { get; set; }

    /// <summary>PEM file of the CA that signed this host's certificate.</summary>
    public string CaFile { get; set; } = "";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public string IdentityToken { get; set; } = "";
}

public sealed class RuntimeSection
{
    /// <summary>The handler used when a request names none.</summary>
    public string DefaultRuntime { get; set; } = "runc";

    /// <summary>The caisson-shim binary; empty means the one installed beside caissond.</summary>
    public string ShimPath { get; set; } = "";

    public Dictionary<string, RuntimeHandlerSection> Handlers { get; set; } = new(StringComparer.Ordinal)
    {
        ["runc"] = new() { Path = "/usr/sbin/runc" },
        ["crun"] = new() { Path = "/usr/bin/crun" },
    };
}

public sealed class RuntimeHandlerSection
{
    /// <summary>The OCI runtime binary.</summary>
    public string Path { get; set; } = "";
}

public sealed class CniSection
{
    public List<string> BinDirs { get; set; } = ["/usr/lib/cni", "/opt/cni/bin"];

    public string ConfDir { get; set; } = "/etc/caisson/cni/net.d";
}
