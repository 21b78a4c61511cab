using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Core.Configuration;
using Caisson.Core.Errors;
using Caisson.Core.Time;
using Caisson.Images.Store;
using Caisson.Linux.Interop;
using Caisson.Runtime.Driver;
using Caisson.Runtime.Events;
using Caisson.Runtime.Oci;
using Caisson.Runtime.Sandboxes;
using Caisson.Runtime.Shim;
using Caisson.Runtime.State;
using Google.Protobuf;
using ImageService = Caisson.Images.Store.ImageService;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Containers;

/// <summary>
/// Containers: an overlay rootfs over the image's layer snapshots, an OCI bundle from the CRI request, and a
/// caisson-shim that runs it. Status comes from the shim, or from the exit file it leaves when it is gone.
/// </summary>
public sealed partial class ContainerManager
{
    private static readonly TimeSpan ShimExitTimeout = TimeSpan.FromSeconds(10);

    private readonly CaissonConfig _config;
    private readonly SandboxManager _sandboxes;
    private readonly ImageService _images;
    private readonly RecordStore<ContainerRecord> _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContainerEventHub _events;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _creating = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _runtimePaths = new(StringComparer.Ordinal);

    public ContainerManager(CaissonConfig config, SandboxManager sandboxes, ImageService images, ContainerEventHub events, ILoggerFactory loggers, TimeProvider time)
    {
        _config = config;
        _sandboxes = sandboxes;
        _images = images;
        _events = events;
        _time = time;
        _logger = loggers.CreateLogger<ContainerManager>();
        _store = new RecordStore<ContainerRecord>(Path.Combine(config.State, "containers", "records"), ContainerJsonContext.Default.ContainerRecord, r => r.Id);
        events.UseContainerSource(sandboxId => [.. ListIn(sandboxId)]);
        images.AddSnapshotRoots(() => _store.All.Select(r => _images.Find(r.ImageId)?.Details.TopChainId).OfType<Core.Digests.Digest>());
    }

    public IReadOnlyCollection<ContainerRecord> List() => _store.All;

    /// <summary>The containers of pod sandbox <paramref name="sandboxId"/>.</summary>
    public IEnumerable<ContainerRecord> ListIn(string sandboxId) => _store.All.Where(r => r.SandboxId == sandboxId);

    public ContainerRecord Get(string id) => _store.Find(id) ?? throw new NotFoundException($"container \"{id}\" not found");

    private long Now => UnixTime.Nanoseconds(_time.GetUtcNow());

    public async Task<string> CreateAsync(string sandboxId, ContainerConfig config, CancellationToken cancellationToken)
    {
        if (config.Metadata is not { } metadata || string.IsNullOrEmpty(metadata.Name))
            throw new InvalidArgumentException("config.metadata.name is required");
        if (string.IsNullOrEmpty(config.Image?.Image))
            throw new InvalidArgumentException("config.image.image is required");
        var sandbox = _sandboxes.Get(sandboxId);
        if (sandbox.State != SandboxState.Ready)
            throw new FailedPreconditionException($"pod sandbox {sandbox.Id} is {sandbox.State}, not ready");
        var key = $"{metadata.Name}_{sandbox.Id}_{metadata.Attempt}";
        var creation = _creating.GetOrAdd(key, k => new Lazy<Task<string>>(() => Task.Run(() => CreateOrReuseAsync(k, sandbox, config))));
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

    private async Task<string> CreateOrReuseAsync(string key, SandboxRecord sandbox, ContainerConfig config)
    {
        if (_store.All.FirstOrDefault(r => r.Key == key) is { } existing)
        {
            return existing.State == ContainerState.Created
                ? existing.Id
                : throw new AlreadyExistsException($"container name {key} is taken by {existing.Id} ({existing.State})");
        }

        var image = _images.Find(config.Image.Image)
            ?? throw new NotFoundException($"image \"{config.Image.Image}\" not found; pull it first");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var sandboxConfig = SandboxManager.ConfigOf(sandbox);
        var namespaces = await NamespacesForAsync(sandbox, sandboxConfig, config).ConfigureAwait(false);
        var logPath = string.IsNullOrEmpty(sandboxConfig.LogDirectory) || string.IsNullOrEmpty(config.LogPath)
            ? ""
            : Path.Combine(sandboxConfig.LogDirectory, config.LogPath);
        var record = new ContainerRecord
        {
            Id = id,
            SandboxId = sandbox.Id,
            Key = key,
            Name = config.Metadata.Name,
            Attempt = config.Metadata.Attempt,
            Image = config.Image.Image,
            ImageId = image.Id.ToString(),
            RuntimeHandler = sandbox.RuntimeHandler,
            State = ContainerState.Creating,
            CreatedAtNanoseconds = Now,
            LogPath = logPath,
            Bundle = Path.Combine(_config.State, "containers", id),
            WritableLayer = Path.Combine(_config.Root, "containers", id),
            Config = config.ToByteArray(),
        };
        _store.Put(record);
        try
        {
            var rootfs = MountRootfs(record, image);
            record = record with { TerminationMessage = TerminationMessageFile.Create(config, record.Bundle) };
            var spec = WriteSpec(record, config, sandbox, sandboxConfig, image, rootfs, namespaces);
            record = record with { CgroupsPath = spec.Spec.Linux?.CgroupsPath ?? "", User = spec.User };
            _store.Put(record);
            if (logPath.Length > 0)
                Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
            await ShimLauncher.LaunchAsync(new ShimLaunchOptions(
                ShimPath(), id, record.Bundle, RuntimePath(sandbox.RuntimeHandler), RuntimeRoot(sandbox.RuntimeHandler), ShimState(record),
                logPath.Length > 0 ? logPath : null, config.Stdin, OomDetector.EventsFile(record.CgroupsPath)), ShimLauncher.DefaultCreateTimeout, CancellationToken.None).ConfigureAwait(false);
            record = record with { State = ContainerState.Created };
            _store.Put(record);
            Publish(ContainerEventKind.Created, record);
            Log.Created(_logger, id, key);
            return id;
        }
        catch (Exception e)
        {
            Log.CreateFailed(_logger, id, key, e.Message);
            await CleanUpAsync(record).ConfigureAwait(false);
            _store.Delete(id);
            throw CaissonException.Wrap($"creating container {key}", e);
        }
    }

    private string MountRootfs(ContainerRecord record, ImageView image)
    {
        if (image.Details.TopChainId is not { } top)
            throw new FailedPreconditionException($"image {image.Id} has no layers");
        if (_images.Snapshotter.Name != "overlayfs")
            throw new FailedPreconditionException($"containers need the overlayfs snapshotter; this store uses {_images.Snapshotter.Name}");
        var lower = string.Join(':', _images.Snapshotter.LayerDirectories(top));
        var upper = Path.Combine(record.WritableLayer, "upper");
        var work = Path.Combine(record.WritableLayer, "work");
        var rootfs = Path.Combine(record.Bundle, "rootfs");
        foreach (var directory in new[] { upper, work, rootfs })
            Directory.CreateDirectory(directory);
        Mounts.Mount("overlay", rootfs, "overlay", 0, $"lowerdir={lower},upperdir={upper},workdir={work}");
        return rootfs;
    }

    /// <summary>Writes config.json; returns the spec written and the user it resolved.</summary>
    private ContainerSpecResult WriteSpec(
        ContainerRecord record, ContainerConfig config, SandboxRecord sandbox, PodSandboxConfig sandboxConfig, ImageView image, string rootfs, SandboxNamespaces namespaces)
    {
        var input = new ContainerSpecInput
        {
            ContainerId = record.Id,
            Config = config,
            Sandbox = sandboxConfig,
            Image = image.Details.Config,
            RootfsPath = rootfs,
            Namespaces = namespaces,
            Files = new Oci.SandboxFiles(
                Sandboxes.SandboxFiles.HostsPath(sandbox.Directory), Sandboxes.SandboxFiles.ResolvConfPath(sandbox.Directory),
                Sandboxes.SandboxFiles.HostnamePath(sandbox.Directory), sandbox.ShmPath),
            TerminationMessage = record.TerminationMessage,
            Cgroup = new CgroupSettings(
                Sandboxes.PauseCgroup.ParentOf(sandboxConfig),
                CgroupDriver.Cgroupfs, Cgroups.CgroupLayout.Host.Version == Cgroups.CgroupVersion.V2),
        };
        var result = ContainerSpecBuilder.Build(input);
        foreach (var warning in result.Warnings)
            Log.SpecWarning(_logger, record.Id, warning);
        Images.Content.Durability.WriteAtomic(Path.Combine(record.Bundle, "config.json"),
            JsonSerializer.SerializeToUtf8Bytes(result.Spec, OciSpecJsonContext.Default.OciSpec));
        return result;
    }

    /// <summary>Applies new resource limits to a created or running container's cgroup, and keeps them in its config.</summary>
    public async Task UpdateResourcesAsync(string id, LinuxContainerResources resources, CancellationToken cancellationToken)
    {
        var record = await RefreshAsync(Get(id), cancellationToken).ConfigureAwait(false);
        if (record.State is not (ContainerState.Created or ContainerState.Running))
            throw new FailedPreconditionException($"container {record.Id} is {record.State}; only a created or running container can be updated");
        var unified = Cgroups.CgroupLayout.Host.Version == Cgroups.CgroupVersion.V2;
        var oci = ResourceBuilder.Build(resources, [], unified);
        Cgroups.CgroupWriter.Update(Cgroups.CgroupPaths.For(record.CgroupsPath), oci);
        var config = ContainerConfig.Parser.ParseFrom(record.Config);
        config.Linux ??= new LinuxContainerConfig();
        config.Linux.Resources = resources;
        _store.Put(record with { Config = config.ToByteArray() });
    }

    /// <summary>CPU and memory of a running container from its cgroup; null when it is not running.</summary>
    internal async Task<Cgroups.CgroupStats?> StatsAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        record = await RefreshAsync(record, cancellationToken).ConfigureAwait(false);
        if (record.State != ContainerState.Running || record.CgroupsPath.Length == 0)
            return null;
        try
        {
            return new Cgroups.CgroupReader(_time).Read(Cgroups.CgroupPaths.For(record.CgroupsPath));
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>At start-up: containers a crash left half-created are cleaned up; the rest come back as their shims say.</summary>
    public async Task RecoverAsync()
    {
        foreach (var record in _store.All.Where(r => r.State == ContainerState.Creating))
        {
            Log.RollingBack(_logger, record.Id, record.Key);
            await CleanUpAsync(record).ConfigureAwait(false);
            _store.Delete(record.Id);
        }

        await ReconcileWithShimsAsync().ConfigureAwait(false);
        foreach (var record in _store.All.Where(r => r.State == ContainerState.Running))
            WatchForExit(record.Id);
    }

    public async Task StartAsync(string id, CancellationToken cancellationToken)
    {
        var record = Get(id);
        if (record.State != ContainerState.Created)
            throw new FailedPreconditionException($"container {record.Id} is {record.State}; only a created container can start");
        // The shim's clock says when the process started; a fast container may have exited before this returns.
        var status = await Client(record).StartAsync(cancellationToken).ConfigureAwait(false);
        var startedAt = status.StartedAt is { } started ? UnixTime.Nanoseconds(started) : Now;
        if (_store.Update(record.Id, r => r.State == ContainerState.Created ? r with { State = ContainerState.Running, StartedAtNanoseconds = startedAt } : null) is { } running)
            Publish(ContainerEventKind.Started, running);
        WatchForExit(record.Id);
    }

    /// <summary>The image's stop signal (SIGTERM by default), then SIGKILL after <paramref name="timeoutSeconds"/>. Idempotent.</summary>
    public async Task StopAsync(string id, long timeoutSeconds, CancellationToken cancellationToken)
    {
        var record = await RefreshAsync(Get(id), cancellationToken).ConfigureAwait(false);
        if (record.State is ContainerState.Exited or ContainerState.Creating)
            return;
        var client = Client(record);
        if (record.State == ContainerState.Running && timeoutSeconds > 0
            && await client.SignalUnlessExitedAsync(StopSignal(record), cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await client.WaitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(timeoutSeconds), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.Killing(_logger, record.Id, timeoutSeconds);
            }
        }

        var status = await client.StatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.State != ShimContainerState.Exited && await client.SignalUnlessExitedAsync(9, cancellationToken).ConfigureAwait(false))
            await client.WaitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);

        await RefreshAsync(record, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (_store.Find(id) is not { } record)
            return;
        if (record.State is ContainerState.Running)
            await StopAsync(record.Id, 0, cancellationToken).ConfigureAwait(false);
        await CleanUpAsync(record).ConfigureAwait(false);
        if (_store.Delete(record.Id))
            Publish(ContainerEventKind.Deleted, record);
        Log.Removed(_logger, record.Id, record.Key);
    }

    /// <summary>The record with the shim's latest word on the process (or the exit file if the shim is gone).</summary>
    public async Task<ContainerRecord> RefreshAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        if (record.State is not (ContainerState.Running or ContainerState.Created))
            return record;
        ContainerExit? exit;
        try
        {
            var status = await Client(record).StatusAsync(cancellationToken).ConfigureAwait(false);
            exit = status.State == ShimContainerState.Exited ? ContainerExit.FromShim(status, _time.GetUtcNow()) : null;
        }
        catch (CaissonException e) when (e.Kind == ErrorKind.Unavailable)
        {
            exit = ExitWithoutShim(record);
        }

        if (exit is null)
            return record;

        // Only the caller that moves the record to Exited publishes the stop; a removed record stays removed.
        var updated = _store.Update(record.Id, current => current.State is not (ContainerState.Running or ContainerState.Created) ? null : exit.ApplyTo(current));
        if (updated is null)
            return _store.Get(record.Id) ?? record;
        Publish(ContainerEventKind.Stopped, updated);
        return updated;
    }

    private async Task CleanUpAsync(ContainerRecord record)
    {
        var state = new ShimStateDirectory(ShimState(record));
        if (File.Exists(state.SocketPath))
        {
            try
            {
                if (!await new ShimClient(state).TerminateAsync(ShimExitTimeout).ConfigureAwait(false))
                    Log.ShimShutdownFailed(_logger, record.Id, $"the container or its shim was still running after {ShimExitTimeout.TotalSeconds} s");
            }
            catch (CaissonException e)
            {
                Log.ShimShutdownFailed(_logger, record.Id, e.Message);
            }
        }

        await DeleteFromRuntimeAsync(record).ConfigureAwait(false);
        Mounts.Unmount(Path.Combine(record.Bundle, "rootfs"), detach: true);
        foreach (var directory in new[] { record.Bundle, record.WritableLayer, ShimState(record) })
        {
            if (Directory.Exists(directory))
                Linux.FileSystem.DirectoryTree.Remove(directory);
        }
    }

    private async Task DeleteFromRuntimeAsync(ContainerRecord record)
    {
        if (!_config.Runtime.Handlers.ContainsKey(record.RuntimeHandler))
            return;
        try
        {
            await Driver(record).DeleteAsync(record.Id, force: true).ConfigureAwait(false);
        }
        catch (CaissonException e)
        {
            Log.RuntimeDeleteFailed(_logger, record.Id, e.Message);
        }
    }

    /// <summary>Runs a command in a running container (ExecSync): output capped at 16 MiB per stream, timeout enforced.</summary>
    public async Task<ExecSyncResult> ExecSyncAsync(string id, IReadOnlyList<string> command, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
            throw new InvalidArgumentException("cmd is required");
        var record = await RefreshAsync(Get(id), cancellationToken).ConfigureAwait(false);
        if (record.State != ContainerState.Running)
            throw new FailedPreconditionException($"container {record.Id} is {record.State}, not running");
        return await Driver(record).ExecSyncAsync(record.Id, command, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the shim reopen the log file (kubelet has renamed it to rotate).</summary>
    public async Task ReopenLogAsync(string id, CancellationToken cancellationToken)
    {
        var record = await RefreshAsync(Get(id), cancellationToken).ConfigureAwait(false);
        if (record.State != ContainerState.Running)
            throw new FailedPreconditionException($"container {record.Id} is {record.State}, not running");
        await Client(record).ReopenLogAsync(cancellationToken).ConfigureAwait(false);
    }

    private OciRuntimeDriver Driver(ContainerRecord record) => new(
        new Driver.RuntimeHandler(record.RuntimeHandler, RuntimePath(record.RuntimeHandler), RuntimeRoot(record.RuntimeHandler)), _logger);

    /// <summary>The handler's runtime binary, or the script that runs it where it needs one (<see cref="Caisson.Runtime.Driver.HybridCgroupsWrapper"/>).</summary>
    private string RuntimePath(string handler) => _runtimePaths.GetOrAdd(handler, name =>
    {
        var binary = _config.Runtime.Handlers[name].Path;
        if (!Caisson.Runtime.Driver.HybridCgroupsWrapper.Needed(binary, Cgroups.CgroupLayout.Host))
            return binary;
        var wrapper = Caisson.Runtime.Driver.HybridCgroupsWrapper.Write(Path.Combine(_config.State, "runtime", "wrappers"), name, binary);
        Log.HybridCgroupsWrapper(_logger, name, binary, wrapper);
        return wrapper;
    });

    private ShimClient Client(ContainerRecord record) => new(new ShimStateDirectory(ShimState(record)));

    /// <summary>Short on purpose: the shim's socket path must fit sockaddr_un's 108 bytes.</summary>
    private string ShimState(ContainerRecord record) => Path.Combine(_config.State, "shims", record.Id[..32]);

    private string RuntimeRoot(string handler) => Path.Combine(_config.State, "runtime", handler);

    private string ShimPath() => ShimLauncher.PathFor(_config.Runtime);

    private int StopSignal(ContainerRecord record) =>
        _images.Find(record.ImageId)?.Details.Config.Config?.StopSignal is { Length: > 0 } name && Signals.TryParse(name, out var number) ? number : 15;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Container {Id} ({Key}) created")]
        public static partial void Created(ILogger logger, string id, string key);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Container {Id} ({Key}) failed to create and was cleaned up: {Reason}")]
        public static partial void CreateFailed(ILogger logger, string id, string key, string reason);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Container {Id} ({Key}) removed")]
        public static partial void Removed(ILogger logger, string id, string key);

        [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Container {Id} did not stop within {Seconds} s; killing it")]
        public static partial void Killing(ILogger logger, string id, long seconds);

        [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Container {Id}: {Warning}")]
        public static partial void SpecWarning(ILogger logger, string id, string warning);

        [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Container {Id}: shim shutdown failed: {Reason}")]
        public static partial void ShimShutdownFailed(ILogger logger, string id, string reason);

        [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "Rolling back container {Id} ({Key}) left half-created by a crash")]
        public static partial void RollingBack(ILogger logger, string id, string key);

        [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Runtime handler {Handler}: {Binary} refuses this hybrid cgroup host (cgroup v2 has controllers); running it through {Wrapper}, which hides the v2 mount from it")]
        public static partial void HybridCgroupsWrapper(ILogger logger, string handler, string binary, string wrapper);

        [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Container {Id}: runtime delete failed: {Reason}")]
        public static partial void RuntimeDeleteFailed(ILogger logger, string id, string reason);
    }
}
