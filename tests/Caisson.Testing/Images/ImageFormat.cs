namespace Caisson.Testing.Images;

/// <summary>Which family of media types a built image or index uses.</summary>
public enum ImageFormat
{
    /// <summary>OCI image spec media types (application/vnd.oci.image.*).</summary>
    Oci,

    /// <summary>Docker schema 2 media types (application/vnd.docker.*).</summary>
    Docker,
}
