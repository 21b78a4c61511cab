using System.Net;
using Caisson.Core.Errors;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;

namespace Caisson.Tests.Testing;

/// <summary>The request sequence of the test pusher, against a scripted handler (the real registry is in RegistryFixtureTests).</summary>
public sealed class RegistryPusherTests
{
    [Theory]
    [InlineData("tag", "app:v1", "app", "v1")]
    [InlineData("nested repository", "team/app:1.0", "team/app", "1.0")]
    [InlineData("no tag pushes by digest", "team/app", "team/app", "")]
    [InlineData("digest", "app@sha256:abc", "app", "sha256:abc")]
    public void Splits_references(string description, string reference, string repository, string tagOrDigest)
    {
        Assert.NotEmpty(description);
        Assert.Equal((repository, tagOrDigest), RegistryPusher.SplitReference(reference));
    }

    [Fact]
    public async Task Uploads_missing_blobs_then_puts_the_manifest_with_its_media_type()
    {
        var image = ImageBuilderTests.SmallImage(ImageFormat.Docker, LayerCompressionKind.Gzip);
        var present = image.Layers[0].Digest.ToString();
        var handler = new ScriptedHandler(request => request.Method.Method switch
        {
            "HEAD" => request.RequestUri!.AbsolutePath.EndsWith(present, StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.NotFound,
            "POST" => HttpStatusCode.Accepted,
            _ => HttpStatusCode.Created,
        });

        await RegistryPusher.Create(new Uri("http://registry.test/"), handler, bearerToken: "t0ken").PushAsync(image, "team/app:v1");

        var uploaded = image.Blobs.Keys.Where(d => d.ToString() != present).ToArray();
        Assert.Equal(2, uploaded.Length);
        var expected = image.Blobs.Keys.SelectMany(d => d.ToString() == present
            ? [$"HEAD /v2/team/app/blobs/{d}"]
            : new[] { $"HEAD /v2/team/app/blobs/{d}", "POST /v2/team/app/blobs/uploads/", $"PUT /v2/team/app/blobs/uploads/1?_state=x&digest={Uri.EscapeDataString(d.ToString())}" })
            .Append("PUT /v2/team/app/manifests/v1");
        Assert.Equal(expected, handler.Requests.Select(r => r.Line));
        Assert.All(handler.Requests, r => Assert.Equal("Bearer t0ken", r.Authorization));
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", handler.Requests[^1].ContentType);
        Assert.Equal(image.ManifestBytes, handler.Requests[^1].Body);
        Assert.All(handler.Requests.Where(r => r.Line.Contains("digest=", StringComparison.Ordinal)), r => Assert.Equal("application/octet-stream", r.ContentType));
    }

    [Fact]
    public async Task An_index_pushes_its_images_by_digest_before_its_tag()
    {
        var amd64 = ImageBuilderTests.SmallImage(ImageFormat.Oci, LayerCompressionKind.None, "amd64", null);
        var arm64 = ImageBuilderTests.SmallImage(ImageFormat.Oci, LayerCompressionKind.None);
        var index = new IndexBuilder().Add(amd64).Add(arm64).Build();
        var handler = new ScriptedHandler(request => request.Method == HttpMethod.Head ? HttpStatusCode.OK : HttpStatusCode.Created);

        var digest = await RegistryPusher.Create(new Uri("http://registry.test/"), handler).PushAsync(index, "multi");

        Assert.Equal(index.Digest, digest);
        Assert.Equal(
            [$"PUT /v2/multi/manifests/{amd64.Digest}", $"PUT /v2/multi/manifests/{arm64.Digest}", $"PUT /v2/multi/manifests/{index.Digest}"],
            handler.Requests.Where(r => r.Line.StartsWith("PUT", StringComparison.Ordinal)).Select(r => r.Line));
        Assert.Equal("application/vnd.oci.image.index.v1+json", handler.Requests[^1].ContentType);
        Assert.Null(handler.Requests[0].Authorization);
    }

    [Theory]
    [InlineData("unauthorized", HttpStatusCode.Unauthorized, ErrorKind.Unauthenticated)]
    [InlineData("denied", HttpStatusCode.Forbidden, ErrorKind.PermissionDenied)]
    [InlineData("invalid manifest", HttpStatusCode.BadRequest, ErrorKind.InvalidArgument)]
    [InlineData("server error", HttpStatusCode.InternalServerError, ErrorKind.Internal)]
    public async Task Refusals_carry_status_and_body(string description, HttpStatusCode status, ErrorKind kind)
    {
        Assert.NotEmpty(description);
        var handler = new ScriptedHandler(_ => status);
        var pusher = RegistryPusher.Create(new Uri("http://registry.test/"), handler);

        var error = await Assert.ThrowsAsync<CaissonException>(() => pusher.PushManifestAsync("app", "v1", [1], "application/x"));

        Assert.Equal(kind, error.Kind);
        Assert.Contains($"{(int)status}", error.Message, StringComparison.Ordinal);
        Assert.Contains("{\"errors\":[]}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_digest_reference_must_name_the_content()
    {
        var image = ImageBuilderTests.SmallImage(ImageFormat.Oci, LayerCompressionKind.None);
        var pusher = RegistryPusher.Create(new Uri("http://registry.test/"), new ScriptedHandler(_ => HttpStatusCode.Created));

        await Assert.ThrowsAsync<ArgumentException>(() => pusher.PushAsync(image, "app@" + image.ConfigDigest));
    }

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpStatusCode> respond) : HttpMessageHandler
    {
        public List<(string Line, string? Authorization, string? ContentType, byte[]? Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add(($"{request.Method} {request.RequestUri!.PathAndQuery}", request.Headers.Authorization?.ToString(),
                request.Content?.Headers.ContentType?.MediaType, body));
            var response = new HttpResponseMessage(respond(request)) { Content = new StringContent("{\"errors\":[]}") };
            if (request.Method == HttpMethod.Post)
                response.Headers.Location = new Uri("/v2/team/app/blobs/uploads/1?_state=x", UriKind.Relative);
            return response;
        }
    }
}
