using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Content;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Archive;

/// <summary>Works out what an archive holds: an OCI layout, a docker save, or both at once (docker 25 and later).</summary>
internal static class ArchivePlanner
{
    public static async Task<ImportPlan> PlanAsync(IArchiveSource source, ContentStore content, Platform platform, ILogger logger, CancellationToken cancellationToken)
    {
        var isOciLayout = source.Contains(ArchiveDocuments.OciIndex);
        var isDockerSave = source.Contains(ArchiveDocuments.DockerManifest);
        if (!isOciLayout && !isDockerSave)
        {
            throw new InvalidArgumentException(
                $"{source.Description} has neither {ArchiveDocuments.DockerManifest} (docker save) nor {ArchiveDocuments.OciIndex} (OCI image layout)");
        }

        var plan = new ImportPlan();
        // The OCI view goes first: where both describe an image, its manifest (and digest) is the one to keep.
        if (isOciLayout)
            await new OciLayoutPlanner(source, content, platform, plan, logger).PlanAsync(cancellationToken).ConfigureAwait(false);
        if (isDockerSave)
            await new DockerArchivePlanner(source, plan).PlanAsync(cancellationToken).ConfigureAwait(false);
        if (plan.Images.Count == 0)
            throw new InvalidArgumentException($"{source.Description} holds no container images");
        return plan;
    }
}
