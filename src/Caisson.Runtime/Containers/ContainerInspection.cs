using Caisson.Runtime.Shim;

namespace Caisson.Runtime.Containers;

/// <summary>What a verbose ContainerStatus shows beyond the record: the process, the OCI spec, the runtime and the image's names.</summary>
internal sealed record ContainerDetails(
    int Pid,
    byte[]? RuntimeSpec,
    string RuntimeBinary,
    string RuntimeRoot,
    string Rootfs,
    string Snapshotter,
    string? ImageChainId,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests);

public sealed partial class ContainerManager
{
    /// <summary>
    /// The details of <paramref name="record"/> (as refreshed by the caller); the pid is 0 unless it is created or
    /// running. config.json is read only <paramref name="withSpec"/>: a plain status or event does not need it.
    /// </summary>
    internal ContainerDetails Inspect(ContainerRecord record, bool withSpec)
    {
        var image = _images.Find(record.ImageId);
        var specPath = Path.Combine(record.Bundle, "config.json");
        var live = record.State is ContainerState.Created or ContainerState.Running;
        return new ContainerDetails(
            live ? Caisson.Runtime.Driver.ProcessFiles.ReadPid(new ShimStateDirectory(ShimState(record)).InitPidPath) ?? 0 : 0,
            withSpec && File.Exists(specPath) ? File.ReadAllBytes(specPath) : null,
            _config.Runtime.Handlers.TryGetValue(record.RuntimeHandler, out var handler) ? handler.Path : "",
            RuntimeRoot(record.RuntimeHandler),
            Path.Combine(record.Bundle, "rootfs"),
            _images.Snapshotter.Name,
            image?.Details.TopChainId?.ToString(),
            image?.RepoTags ?? [],
            image?.RepoDigests ?? []);
    }
}
