namespace NeuroData.Domain.Common;

/// <summary>Base of every entity: a Guid identity (version 7, so new ids sort by creation time).</summary>
public abstract class Entity
{
    protected Entity()
    {
        Id = Guid.CreateVersion7();
    }

    protected Entity(Guid id)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException("An id cannot be empty.");
        }

        Id = id;
    }

    public Guid Id { get; private set; }
}

/// <summary>Entities with creation/modification times. The persistence layer stamps them on save from the injected clock.</summary>
public interface IAuditable
{
    DateTimeOffset CreatedAt { get; }

    DateTimeOffset UpdatedAt { get; }
}
