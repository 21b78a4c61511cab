using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ListContainerStatsResponse> ListContainerStats(ListContainerStatsRequest request, ServerCallContext context)
    {
        var filter = request.Filter;
        var response = new ListContainerStatsResponse();
        foreach (var record in ListedContainers(filter?.Id, filter?.PodSandboxId))
        {
            var config = ContainerConfig.Parser.ParseFrom(record.Config);
            if (!LabelSelector.Matches(filter?.LabelSelector, config.Labels))
                continue;
            response.Stats.Add(await StatsOfAsync(record, context.CancellationToken).ConfigureAwait(false));
        }

        return response;
    }
}
