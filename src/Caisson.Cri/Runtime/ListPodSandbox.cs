using Caisson.Api.Cri;
using Caisson.Runtime.Sandboxes;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override Task<ListPodSandboxResponse> ListPodSandbox(ListPodSandboxRequest request, ServerCallContext context)
    {
        var filter = request.Filter;
        var response = new ListPodSandboxResponse();
        foreach (var record in ListedSandboxes(filter?.Id).OrderBy(r => r.CreatedAtNanoseconds))
        {
            if (filter?.State is { } wanted && wanted.State != ToCri(record.State))
                continue;
            var config = SandboxManager.ConfigOf(record);
            if (!LabelSelector.Matches(filter?.LabelSelector, config.Labels))
                continue;
            var sandbox = new PodSandbox
            {
                Id = record.Id,
                Metadata = config.Metadata,
                State = ToCri(record.State),
                CreatedAt = record.CreatedAtNanoseconds,
                RuntimeHandler = record.RuntimeHandler,
            };
            sandbox.Labels.Add(config.Labels);
            sandbox.Annotations.Add(config.Annotations);
            response.Items.Add(sandbox);
        }

        return Task.FromResult(response);
    }
}
