using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ListContainerStatsResponse> ListContainerStats(ListContainerStatsRequest request, ServerCallContext context)
    {
        var filter = request.Filter;
        var response = new ListContainerStatsResponse();
        foreach (var record in _containers.List().Where(c => c.State != Caisson.Runtime.Containers.ContainerState.Creating))
        {
            if (!string.IsNullOrEmpty(filter?.Id) && !record.Id.StartsWith(filter.Id, StringComparison.Ordinal))
                continue;
            if (!string.IsNullOrEmpty(filter?.PodSandboxId) && !record.SandboxId.StartsWith(filter.PodSandboxId, StringComparison.Ordinal))
                continue;
            var config = ContainerConfig.Parser.ParseFrom(record.Config);
            if (!LabelSelector.Matches(filter?.LabelSelector, config.Labels))
                continue;
            response.Stats.Add(await StatsOfAsync(record, context.CancellationToken).ConfigureAwait(false));
        }

        return response;
    }
}
