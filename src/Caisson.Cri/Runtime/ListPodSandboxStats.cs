using Caisson.Api.Cri;
using Caisson.Runtime.Sandboxes;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    /// <summary>Ready pods only, as containerd: a stopped pod has no usage left to report.</summary>
    public override async Task<ListPodSandboxStatsResponse> ListPodSandboxStats(ListPodSandboxStatsRequest request, ServerCallContext context)
    {
        var filter = request.Filter;
        var response = new ListPodSandboxStatsResponse();
        foreach (var sandbox in ListedSandboxes(filter?.Id).Where(s => s.State == SandboxState.Ready))
        {
            if (!LabelSelector.Matches(filter?.LabelSelector, SandboxManager.ConfigOf(sandbox).Labels))
                continue;
            response.Stats.Add(await PodStatsOfAsync(sandbox, context.CancellationToken).ConfigureAwait(false));
        }

        return response;
    }
}
