package gone

const V = 1
