using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ListContainersResponse> ListContainers(ListContainersRequest request, ServerCallContext context)
    {
        var filter = request.Filter;
        var response = new ListContainersResponse();
        foreach (var stored in ListedContainers(filter?.Id, filter?.PodSandboxId).OrderBy(c => c.CreatedAtNanoseconds))
        {
            var record = await _containers.RefreshAsync(stored, context.CancellationToken).ConfigureAwait(false);
            if (filter?.State is { } wanted && wanted.State != ToCri(record.State))
                continue;
            var config = ContainerConfig.Parser.ParseFrom(record.Config);
            if (!LabelSelector.Matches(filter?.LabelSelector, config.Labels))
                continue;
            var container = new Container
            {
                Id = record.Id,
                PodSandboxId = record.SandboxId,
                Metadata = config.Metadata,
                Image = new ImageSpec { Image = record.Image },
                ImageRef = record.ImageId,
                ImageId = record.ImageId,
                State = ToCri(record.State),
                CreatedAt = record.CreatedAtNanoseconds,
            };
            container.Labels.Add(config.Labels);
            container.Annotations.Add(config.Annotations);
            response.Containers.Add(container);
        }

        return response;
    }
}
