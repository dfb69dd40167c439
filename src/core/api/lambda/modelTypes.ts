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
}
