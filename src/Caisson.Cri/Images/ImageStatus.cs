using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cri.Images;

public sealed partial class CriImageService
{
    /// <summary>An image that is not present is not an error: the response simply has no image (kubelet relies on it).</summary>
    public override Task<ImageStatusResponse> ImageStatus(ImageStatusRequest request, ServerCallContext context)
    {
        var reference = request.Image?.Image;
        if (string.IsNullOrWhiteSpace(reference))
            throw new InvalidArgumentException("ImageStatus: image.image is empty");
        var response = new ImageStatusResponse();
        var view = _images.Find(reference);
        if (view is null)
            return Task.FromResult(response);
        response.Image = ToCri(view);
        if (request.Verbose)
            response.Info.Add("info", VerboseInfo(view));
        return Task.FromResult(response);
    }

    private string VerboseInfo(Caisson.Images.Store.ImageView view)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("imageId", view.Id.ToString());
            writer.WriteString("manifestDigest", view.Details.ManifestDigest.ToString());
            writer.WriteString("snapshotter", _images.Snapshotter.Name);
            writer.WriteStartArray("chainIds");
            foreach (var chainId in view.Details.ChainIds)
                writer.WriteStringValue(chainId.ToString());
            writer.WriteEndArray();
            writer.WritePropertyName("config");
            using (var config = JsonDocument.Parse(view.Details.ConfigJson))
                config.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
