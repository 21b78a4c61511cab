using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cri.Images;

public sealed partial class CriImageService
{
    /// <summary>Removes the image with all its names; removing an image that is not there succeeds (idempotent).</summary>
    public override async Task<RemoveImageResponse> RemoveImage(RemoveImageRequest request, ServerCallContext context)
    {
        var reference = request.Image?.Image;
        if (string.IsNullOrWhiteSpace(reference))
            throw new InvalidArgumentException("RemoveImage: image.image is empty");
        if (_images.Find(reference) is not null)
            await _images.RemoveAsync(reference, allNames: true, context.CancellationToken).ConfigureAwait(false);
        return new RemoveImageResponse();
    }
}
