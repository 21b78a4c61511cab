using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cri.Images;

public sealed partial class CriImageService
{
    public override async Task<PullImageResponse> PullImage(PullImageRequest request, ServerCallContext context)
    {
        var reference = request.Image?.Image;
        if (string.IsNullOrWhiteSpace(reference))
            throw new InvalidArgumentException("PullImage: image.image is empty");
        var view = await _images.PullAsync(reference, ToCredentials(request.Auth), platform: null, progress: null, context.CancellationToken)
            .ConfigureAwait(false);
        return new PullImageResponse { ImageRef = view.Id.ToString() };
    }
}
