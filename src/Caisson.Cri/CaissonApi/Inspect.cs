using System.Text;
using Caisson.Api.V1;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

public sealed partial class ImagesApi
{
    public override Task<InspectResponse> Inspect(InspectRequest request, ServerCallContext context)
    {
        var view = _images.Get(request.Reference);
        var response = new InspectResponse
        {
            Summary = ToSummary(view),
            ManifestJson = Encoding.UTF8.GetString(view.Details.ManifestJson),
            ConfigJson = Encoding.UTF8.GetString(view.Details.ConfigJson),
            ManifestDigest = view.Details.ManifestDigest.ToString(),
        };
        response.ChainIds.AddRange(view.Details.ChainIds.Select(c => c.ToString()));
        return Task.FromResult(response);
    }
}
