namespace Caisson.Images.Metadata;

public sealed partial class MetadataStore
{
    public void CreateLease(string id, TimeSpan lifetime)
    {
        using var connection = Open();
        Execute(connection, null, "INSERT INTO leases (id, created_ms, expires_ms) VALUES ($id, $now, $expires)",
            ("$id", id), ("$now", NowMs), ("$expires", NowMs + (long)lifetime.TotalMilliseconds));
    }

    public void AddLeaseResource(string leaseId, LeaseResourceKind kind, string resource)
    {
        using var connection = Open();
        Execute(connection, null, "INSERT OR IGNORE INTO lease_resources (lease_id, kind, resource) VALUES ($id, $kind, $resource)",
            ("$id", leaseId), ("$kind", kind.ToString()), ("$resource", resource));
    }

    public void DeleteLease(string id)
    {
        using var connection = Open();
        Execute(connection, null, "DELETE FROM leases WHERE id = $id", ("$id", id));
    }

    /// <summary>Resources held by leases that have not expired.</summary>
    public HashSet<(LeaseResourceKind Kind, string Resource)> LeasedResources()
    {
        using var connection = Open();
        using var command = Command(connection, null, """
            SELECT r.kind, r.resource FROM lease_resources r JOIN leases l ON l.id = r.lease_id WHERE l.expires_ms > $now
            """, [("$now", NowMs)]);
        using var reader = command.ExecuteReader();
        var result = new HashSet<(LeaseResourceKind, string)>();
        while (reader.Read())
        {
            if (Enum.TryParse<LeaseResourceKind>(reader.GetString(0), out var kind))
                result.Add((kind, reader.GetString(1)));
        }

        return result;
    }

    public int PruneExpiredLeases()
    {
        using var connection = Open();
        using var command = Command(connection, null, "DELETE FROM leases WHERE expires_ms <= $now", [("$now", NowMs)]);
        return command.ExecuteNonQuery();
    }
}
