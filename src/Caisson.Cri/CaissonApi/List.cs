using Caisson.Api.V1;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

public sealed partial class ImagesApi
{
    public override Task<ListImagesResponse> List(ListImagesRequest request, ServerCallContext context)
    {
        var response = new ListImagesResponse();
        if (string.IsNullOrEmpty(request.Filter))
            response.Images.AddRange(_images.List().Select(ToSummary));
        else if (_images.Find(request.Filter) is { } view)
            response.Images.Add(ToSummary(view));
        return Task.FromResult(response);
    }
}
