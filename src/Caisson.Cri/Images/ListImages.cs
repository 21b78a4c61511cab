using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Images;

public sealed partial class CriImageService
{
    public override Task<ListImagesResponse> ListImages(ListImagesRequest request, ServerCallContext context)
    {
        var response = new ListImagesResponse();
        var filter = request.Filter?.Image?.Image;
        if (string.IsNullOrEmpty(filter))
            response.Images.AddRange(_images.List().Select(ToCri));
        else if (_images.Find(filter) is { } match)
            response.Images.Add(ToCri(match));
        return Task.FromResult(response);
    }
}
