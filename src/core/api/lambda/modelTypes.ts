// The compact form of an AWS service model that the generated tables use (routing: method + URI; validation: shapes).

export interface ModelOperation {
  method: string;
  /** URI template, e.g. /2015-03-31/functions/{FunctionName}/aliases/{Name}; a trailing `+` in a label takes slashes. */
  uri: string;
  /** HTTP status of a success. */
  status: number;
  /** Query parameters that tell this operation apart from another on the same path (e.g. find=LayerVersion). */
  fixedQuery?: Record<string, string>;
  input?: string;
}

export interface ModelMember {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  /** Query protocol: the list or map is serialised without a wrapper element. */
  flattened?: boolean;
}

export interface ModelShape {
  type: 'structure' | 'string' | 'integer' | 'long' | 'double' | 'boolean' | 'blob' | 'timestamp' | 'list' | 'map';
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  members?: Record<string, ModelMember>;
  required?: string[];
  /** The member that is the whole HTTP body (e.g. Invoke's Payload). */
  payload?: string;
  member?: string;
  key?: string;
  value?: string;
  /** Query protocol: a flattened list or map; the element names of list members, map keys and map values. */
  flattened?: boolean;
  memberName?: string;
  keyName?: string;
  valueName?: string;
}

/** An operation of a JSON or query protocol service (one endpoint path; the action is named by X-Amz-Target or Action=). */
export interface ProtocolOperation {
  input?: string;
  output?: string;
  /** Query protocol: the element wrapping the output (<SendMessageResult>). */
  resultWrapper?: string;
}

/** A modelled error: its shape name (the JSON protocol's __type), and the query protocol's code and HTTP status. */
export interface ProtocolError {
  code: string;
  status: number;
  sender: boolean;
}

/** The generated model of a JSON / query protocol service (scripts/generate-service-model.mjs). */
export interface ProtocolModel {
  metadata: { apiVersion: string; protocol: string; jsonVersion?: string; targetPrefix?: string; xmlNamespace?: string };
  operations: Record<string, ProtocolOperation>;
  errors: Record<string, ProtocolError>;
  shapes: Record<string, ModelShape>;
}
