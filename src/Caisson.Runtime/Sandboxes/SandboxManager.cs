using System.Collections.Concurrent;
using System.Security.Cryptography;
using Caisson.Api.Cri;
using Caisson.Core.Configuration;
using Caisson.Core.Errors;
using Caisson.Runtime.Events;
using Caisson.Runtime.Network;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Caisson.Core.Time;

namespace Caisson.Runtime.Sandboxes;

/// <summary>
/// Pod sandboxes: a pinned network namespace set up by CNI, and the files the pod's containers share. Every step
/// is recorded first, so a crash at any step is rolled back at start-up; a kubelet retrying a RunPodSandbox that
/// timed out gets the same sandbox, because the work carries on after the caller gives up.
/// </summary>
public sealed partial class SandboxManager
{
    private readonly CaissonConfig _config;
    private readonly SandboxStore _store;
    private readonly PodNetwork _network;
    private readonly PodNamespaces _namespaces;
    private readonly string _netnsDirectory;
    private readonly string _sandboxDirectory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContainerEventHub _events;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _creating = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public SandboxManager(CaissonConfig config, ContainerEventHub events, ILoggerFactory loggers, TimeProvider time)
    {
        _config = config;
        _events = events;
        _time = time;
        _logger = loggers.CreateLogger<SandboxManager>();
        _store = new SandboxStore(Path.Combine(config.State, "sandboxes", "records"));
        _sandboxDirectory = Path.Combine(config.State, "sandboxes");
        _netnsDirectory = Path.Combine(config.State, "netns");
        _namespaces = new PodNamespaces(Path.Combine(config.State, "podns"), Shim.ShimLauncher.PathFor(config.Runtime));
        _network = new PodNetwork(new PodNetworkOptions
        {
            ConfDirectory = config.Cni.ConfDir,
            PluginDirectories = config.Cni.BinDirs,
            StateDirectory = Path.Combine(config.Root, "network"),
        }, loggers.CreateLogger<PodNetwork>());
    }

    public IReadOnlyCollection<SandboxRecord> List() => _store.All.Select(WithPauseChecked).ToList();

    public SandboxRecord Get(string id) =>
        Find(id) ?? throw new NotFoundException($"pod sandbox \"{id}\" not found");

    public SandboxRecord? Find(string id) => _store.Find(id) is { } record ? WithPauseChecked(record) : null;

    public async Task<string> RunAsync(PodSandboxConfig config, string runtimeHandler, CancellationToken cancellationToken)
    {
        Validate(config);
        var handler = string.IsNullOrEmpty(runtimeHandler) ? _config.Runtime.DefaultRuntime : runtimeHandler;
        if (!_config.Runtime.Handlers.ContainsKey(handler))
            throw new InvalidArgumentException($"runtime_handler \"{runtimeHandler}\" is not configured (known: {string.Join(", ", _config.Runtime.Handlers.Keys)})");
        var key = KeyOf(config.Metadata);

        // One creation per key; a retry joins it. The work runs to its end even if every caller gives up.
        var creation = _creating.GetOrAdd(key, k => new Lazy<Task<string>>(() => Task.Run(() => CreateOrReuseAsync(k, config, handler))));
        try
        {
            return await creation.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (creation.Value.IsCompleted)
                _creating.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, creation));
        }
    }

    private async Task<string> CreateOrReuseAsync(string key, PodSandboxConfig config, string handler)
    {
        if (_store.FindByKey(key) is { } existing)
        {
            if (existing.State == SandboxState.Ready)
                return existing.Id;
            throw new AlreadyExistsException(
                $"pod sandbox name {key} is taken by {existing.Id} ({existing.State}); remove it or use another attempt number");
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var namespaceOptions = config.Linux?.SecurityContext?.NamespaceOptions;
        var hostNetwork = namespaceOptions?.Network == NamespaceMode.Node;
        var record = _namespaces.Plan(new SandboxRecord
        {
            Id = id,
            Key = key,
            Name = config.Metadata.Name,
            Namespace = config.Metadata.Namespace,
            Uid = config.Metadata.Uid,
            Attempt = config.Metadata.Attempt,
            RuntimeHandler = handler,
            CreatedAtNanoseconds = UnixTime.Nanoseconds(_time.GetUtcNow()),
            State = SandboxState.Creating,
            NetworkNamespacePath = hostNetwork ? null : Path.Combine(_netnsDirectory, id),
            Config = config.ToByteArray(),
            Directory = Path.Combine(_sandboxDirectory, id),
        }, namespaceOptions);
        _store.Put(record);
        try
        {
            SandboxFiles.Write(record.Directory, config);
            await _namespaces.CreateAsync(record, SandboxFiles.HostnameOf(config)).ConfigureAwait(false);
            var ips = new List<string>();
            if (record.NetworkNamespacePath is not null)
            {
                Directory.CreateDirectory(_netnsDirectory);
                NetworkNamespace.Create(_netnsDirectory, id);
                var status = await _network.SetUpAsync(new PodNetworkRequest(
                    id, config.Metadata.Name, config.Metadata.Namespace, record.NetworkNamespacePath, PortMappings(config)), CancellationToken.None).ConfigureAwait(false);
                ips.AddRange(status.Addresses.Select(a => a.ToString()));
            }

            record = record with { State = SandboxState.Ready, Ips = ips };
            _store.Put(record);

            // As containerd: a sandbox's own events carry its id as the container id.
            _events.Publish(ContainerEventKind.Created, id, id, record);
            _events.Publish(ContainerEventKind.Started, id, id, record);
            Log.SandboxReady(_logger, id, key, string.Join(",", ips));
            return id;
        }
        catch (Exception e)
        {
            Log.SandboxFailed(_logger, id, key, e.Message);
            await ReleaseAsync(record).ConfigureAwait(false);
            _store.Delete(id);
            throw CaissonException.Wrap($"running pod sandbox {key}", e);
        }
    }

    /// <summary>Stops the sandbox: its network is torn down (before the namespace goes) and it becomes NotReady. Idempotent.</summary>
    public async Task StopAsync(string id, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.Find(id) is not { } record)
                return;
            await ReleaseAsync(record).ConfigureAwait(false);
            // Under the store's lock: a status call that saw the pause die meanwhile has already published the stop.
            if (_store.Update(id, current => current.State != SandboxState.NotReady ? current with { State = SandboxState.NotReady } : null) is { } stopped)
                _events.Publish(ContainerEventKind.Stopped, stopped.Id, stopped.Id, stopped);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes the sandbox (stopping it first); removing one that is not there succeeds.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (_store.Find(id) is not { } record)
            return;
        await StopAsync(record.Id, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(record.Directory))
            Directory.Delete(record.Directory, recursive: true);
        if (_store.Delete(record.Id))
            _events.Publish(ContainerEventKind.Deleted, record.Id, record.Id, record with { State = SandboxState.NotReady });
        _locks.TryRemove(record.Id, out _);
        Log.SandboxRemoved(_logger, record.Id, record.Key);
    }

    /// <summary>At start-up: sandboxes a crash left half-created are rolled back; the rest come back as they were.</summary>
    public async Task RecoverAsync()
    {
        foreach (var record in _store.All.Where(r => r.State == SandboxState.Creating))
        {
            Log.RollingBack(_logger, record.Id, record.Key);
            await ReleaseAsync(record).ConfigureAwait(false);
            if (Directory.Exists(record.Directory))
                Directory.Delete(record.Directory, recursive: true);
            _store.Delete(record.Id);
        }
    }

    /// <summary>
    /// CNI DEL, then the network namespace pin (the bridge plugin needs the namespace to remove its masquerade
    /// rule), then the pause, the other pins and the shm.
    /// </summary>
    private async Task ReleaseAsync(SandboxRecord record)
    {
        if (record.NetworkNamespacePath is { } netns)
        {
            await _network.TearDownAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
            NetworkNamespace.Remove(netns);
        }

        PodNamespaces.Release(record);
    }

    public static PodSandboxConfig ConfigOf(SandboxRecord record) => PodSandboxConfig.Parser.ParseFrom(record.Config);

    private static string KeyOf(PodSandboxMetadata metadata) =>
        $"{metadata.Name}_{metadata.Namespace}_{metadata.Uid}_{metadata.Attempt}";

    private static void Validate(PodSandboxConfig config)
    {
        if (config.Metadata is not { } metadata)
            throw new InvalidArgumentException("config.metadata is required");
        if (string.IsNullOrEmpty(metadata.Name))
            throw new InvalidArgumentException("config.metadata.name is required");
        if (string.IsNullOrEmpty(metadata.Namespace))
            throw new InvalidArgumentException("config.metadata.namespace is required");
        if (string.IsNullOrEmpty(metadata.Uid))
            throw new InvalidArgumentException("config.metadata.uid is required");
        foreach (var part in new[] { metadata.Name, metadata.Namespace, metadata.Uid })
        {
            if (part.Contains('_', StringComparison.Ordinal) || part.Contains('/', StringComparison.Ordinal))
                throw new InvalidArgumentException($"config.metadata: \"{part}\" may not contain '_' or '/'");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(config.Hostname) > SandboxFiles.MaxHostnameLength)
            throw new InvalidArgumentException($"config.hostname: \"{config.Hostname}\" is longer than {SandboxFiles.MaxHostnameLength} bytes");
        foreach (var mapping in config.PortMappings)
        {
            if (mapping.ContainerPort is <= 0 or > 65535)
                throw new InvalidArgumentException($"config.port_mappings: container_port {mapping.ContainerPort} is out of range");
            if (mapping.HostPort is < 0 or > 65535)
                throw new InvalidArgumentException($"config.port_mappings: host_port {mapping.HostPort} is out of range");
        }
    }

    private static List<Network.PortMapping> PortMappings(PodSandboxConfig config) =>
        [.. config.PortMappings.Where(m => m.HostPort > 0).Select(m => new Network.PortMapping(
            m.HostPort, m.ContainerPort, m.Protocol.ToString().ToLowerInvariant(), m.HostIp))];

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Pod sandbox {Id} ({Key}) is ready, IPs {Ips}")]
        public static partial void SandboxReady(ILogger logger, string id, string key, string ips);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Pod sandbox {Id} ({Key}) failed and was rolled back: {Reason}")]
        public static partial void SandboxFailed(ILogger logger, string id, string key, string reason);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Pod sandbox {Id} ({Key}) removed")]
        public static partial void SandboxRemoved(ILogger logger, string id, string key);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Rolling back pod sandbox {Id} ({Key}) left half-created by a crash")]
        public static partial void RollingBack(ILogger logger, string id, string key);
    }
}
