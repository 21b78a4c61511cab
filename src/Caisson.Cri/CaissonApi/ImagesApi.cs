using Caisson.Api.V1;
using Caisson.Images.Store;

namespace Caisson.Cri.CaissonApi;

/// <summary>caisson.v1 Images: what the CLI needs beyond CRI. One RPC per file beside this one.</summary>
public sealed partial class ImagesApi(ImageService images) : Api.V1.Images.ImagesBase
{
    private readonly ImageService _images = images;

    internal static ImageSummary ToSummary(ImageView view)
    {
        var summary = new ImageSummary
        {
            Id = view.Id.ToString(),
            Size = view.Size,
            Created = view.Details.Config.Created?.ToUnixTimeSeconds() ?? 0,
            Platform = string.IsNullOrEmpty(view.Details.Config.Variant)
                ? $"{view.Details.Config.OS}/{view.Details.Config.Architecture}"
                : $"{view.Details.Config.OS}/{view.Details.Config.Architecture}/{view.Details.Config.Variant}",
        };
        summary.RepoTags.AddRange(view.RepoTags);
        summary.RepoDigests.AddRange(view.RepoDigests);
        return summary;
    }
}
