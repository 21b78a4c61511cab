using Caisson.Api.V1;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

public sealed partial class ImagesApi
{
    public override Task<TagResponse> Tag(TagRequest request, ServerCallContext context) =>
        Task.FromResult(new TagResponse { ImageId = _images.Tag(request.Source, request.Target).Id.ToString() });
}
