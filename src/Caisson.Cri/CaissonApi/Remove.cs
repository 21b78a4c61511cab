using Caisson.Api.V1;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

public sealed partial class ImagesApi
{
    public override async Task<RemoveResponse> Remove(RemoveRequest request, ServerCallContext context)
    {
        var result = await _images.RemoveAsync(request.Reference, request.Force, context.CancellationToken).ConfigureAwait(false);
        return new RemoveResponse { Untagged = { result.Untagged }, Deleted = { result.Deleted } };
    }
}
